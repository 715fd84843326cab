xs = [4, -2, 7, 0, 3]
print(len(xs), sum(xs), min(xs), max(xs))
print(sum(xs, 10), sum([0.5, 0.25]), sum([]))
print(min("banana"), max("banana"), min(3, 1, 2), max(3, 1, 2))
print(min([], default="empty"), max([1], default=0))
print(len("héllo"), len({"a": 1, "b": 2}), len(range(3, 30, 3)))
