import json

print(json.dumps({"a": [1, 2], "b": {"c": None}}, indent=2))
print(json.dumps([], indent=2), json.dumps({}, indent=4))
