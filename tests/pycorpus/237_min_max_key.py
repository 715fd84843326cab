records = [("a", 3), ("b", 1), ("c", 2)]
print(min(records, key=lambda r: r[1]))
print(max(records, key=lambda r: r[1]))
print(max(["apple", "fig", "banana"], key=len))
print(min(-3, 2, -5, key=abs))
