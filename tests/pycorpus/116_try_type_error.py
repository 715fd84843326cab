cases = [(1, 2), ("a", "b"), ("a", 1), ([1], [2]), (None, 1)]
for a, b in cases:
    try:
        print(repr(a + b))
    except TypeError:
        print("cannot add", type(a).__name__, "and", type(b).__name__)
