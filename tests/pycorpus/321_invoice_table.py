items = [("Widget", 4, 3.5), ("Gadget", 1, 12.99), ("Doohickey", 12, 0.25)]
print(f"{'Item':<12}{'Qty':>5}{'Price':>9}{'Total':>10}")
grand = 0
for name, qty, price in items:
    line = qty * price
    grand += line
    print(f"{name:<12}{qty:>5}{price:>9.2f}{line:>10.2f}")
tax = grand * 0.08
print(f"{'Subtotal':<26}{grand:>10.2f}")
print(f"{'Tax (8%)':<26}{tax:>10.2f}")
print(f"{'Total':<26}{grand + tax:>10.2f}")
