import json

lines = [
    '{"user": "ann", "amount": 12.5}',
    '{"user": "bob", "amount": 3}',
    '{"user": "ann", "amount": 7.25}',
]
totals = {}
for line in lines:
    rec = json.loads(line)
    totals[rec["user"]] = totals.get(rec["user"], 0) + rec["amount"]
print(json.dumps(totals))
