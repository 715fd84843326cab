a = {"x": 1, "y": 2, "z": 3}
b = {"y": 20, "w": 0}
print(sorted(k for k in a if k in b))
print(sorted(k for k in a if k not in b))
print(len(a.keys()), "x" in a.keys(), 2 in a.values())
