groups = {"a": [1], "b": []}
groups["a"] += [2, 3]
groups["b"] += ["x"]
groups["a"][0] += 100
print(groups)
