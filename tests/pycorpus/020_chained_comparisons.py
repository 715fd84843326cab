def in_range(x, lo, hi):
    return lo <= x < hi

for x in [-1, 0, 5, 10, 11]:
    print(x, in_range(x, 0, 10), 0 < x <= 10, 1 < 2 < x)
