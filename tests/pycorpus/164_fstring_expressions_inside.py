items = [3, 1, 2]
d = {"k": 10}
print(f"sorted: {sorted(items)}, max: {max(items)}, key: {d['k']}")
print(f"{'yes' if len(items) > 2 else 'no'}")
print(f"{sum(x * x for x in items)}")
print(f"{items[0] * 2 = }".replace(" = ", "="))
