def min_max(xs):
    lo = hi = xs[0]
    for x in xs[1:]:
        if x < lo:
            lo = x
        if x > hi:
            hi = x
    return lo, hi

lo, hi = min_max([5, 3, 9, -2, 7])
print(lo, hi)
result = min_max(["kiwi", "apple", "zucchini"])
print(result, type(result).__name__)
