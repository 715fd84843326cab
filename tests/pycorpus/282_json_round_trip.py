import json

records = [{"name": "ann", "scores": [90, 85]}, {"name": "bob", "scores": []}]
text = json.dumps(records)
print(text)
back = json.loads(text)
print(back == records, back[0]["scores"][1])
print(json.loads("3.25") + 1, json.loads('"s"'), json.loads("[1, [2, [3]]]"))
