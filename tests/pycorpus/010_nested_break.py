matrix = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
target = 5
found = None
for r, row in enumerate(matrix):
    for c, value in enumerate(row):
        if value == target:
            found = (r, c)
            break
    if found:
        break
print("found at", found)
