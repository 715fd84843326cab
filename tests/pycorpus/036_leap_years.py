def is_leap(year):
    if year % 400 == 0:
        return True
    if year % 100 == 0:
        return False
    return year % 4 == 0

leaps = []
for y in range(1896, 1920):
    if is_leap(y):
        leaps.append(y)
print(leaps)
print(is_leap(2000), is_leap(1900), is_leap(2024), is_leap(2023))
