values = [1, 2.0, "s", [1], (1,), {"a": 1}, None, True]
for v in values:
    print(repr(v), type(v).__name__, isinstance(v, int), isinstance(v, (list, tuple)), isinstance(v, str))
print(type(1) == int, type(True) == bool, isinstance(True, int))
