d = {"x": 1, "y": 2}
print(list(d.keys()), list(d.values()), list(d.items()))
print(d.get("z"), d.get("z", 0), d.setdefault("z", 3), d)
d.update({"x": 10, "w": 0})
print(d)
print(d.pop("y"), d.pop("missing", "default"), d)
e = dict(d)
e["new"] = True
print(len(d), len(e))
print(d.popitem(), d)
