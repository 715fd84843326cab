data = {"a": [1, 2, 3], "b": [], "c": [[1, 2], [3]]}
for k, v in data.items():
    print(k, len(v), sum(len(x) if isinstance(x, list) else 1 for x in v))
