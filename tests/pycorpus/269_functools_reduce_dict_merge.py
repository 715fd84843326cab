import functools

dicts = [{"a": 1}, {"b": 2}, {"a": 3, "c": 4}]
merged = functools.reduce(lambda acc, d: {**acc, **d}, dicts, {})
print(merged)
longest = functools.reduce(lambda a, b: a if len(a) >= len(b) else b, ["aa", "bbbb", "cc", "dddd"])
print(longest)
