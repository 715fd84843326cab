keys = ["a", "b", "c"]
values = [1, 2, 3]
d = dict(zip(keys, values))
print(d)
print(dict([("x", 1), ("y", 2)]))
print(dict(a=1, b=2))
print({**d, "d": 4, "a": 0})
