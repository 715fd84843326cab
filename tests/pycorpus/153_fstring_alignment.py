rows = [("apple", 3, 0.5), ("banana", 12, 0.25), ("cherry", 100, 4.0)]
print(f"{'item':<10}|{'qty':>5}|{'price':^9}|")
for item, qty, price in rows:
    print(f"{item:<10}|{qty:>5}|{price:^9.2f}|")
