items = [("b", 2), ("a", 2), ("c", 1), ("d", 3), ("e", 1)]
items.sort(key=lambda t: t[1])
print(items)
items.sort(key=lambda t: t[0], reverse=True)
print(items)
