counts = {"a": 2}
print(counts.get("a"), counts.get("b"), counts.get("b", 0))
try:
    counts["b"] += 1
except KeyError as e:
    print("KeyError", e)
counts["b"] = counts.get("b", 0) + 1
print(counts)
