import json

data = {"name": "rask", "tags": ["fast", "lazy"], "version": 1.5, "stable": False, "parent": None}
print(json.dumps(data))
print(json.dumps([1, 2.0, "x", True, None]))
print(json.dumps("quote \" and unicode é"))
print(json.dumps({"b": 1, "a": 2}, sort_keys=True))
