def inverse(x):
    try:
        return 1 / x
    except ZeroDivisionError:
        return float("inf")

print([inverse(x) for x in [1, 2, 0, 4]])
try:
    print([10 // x for x in [1, 2, 0]])
except ZeroDivisionError:
    print("comprehension failed")
