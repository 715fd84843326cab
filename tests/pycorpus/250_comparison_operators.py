a, b = 5, 7
print(a < b, a <= b, a > b, a >= b, a == b, a != b)
print("abc" < "abd", "Z" < "a", [1, 2] <= [1, 2])
print(None is None, a is not None, 1 in [1, 2], "x" not in "abc")
