import json

doc = json.loads('{"cfg": {"workers": 2, "paths": ["a", "b"]}}')
doc["cfg"]["workers"] += 2
doc["cfg"]["paths"].append("c")
del doc["cfg"]["paths"][0]
print(json.dumps(doc, sort_keys=True))
