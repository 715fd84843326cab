ledger = [
    ("2024-01-03", "deposit", 500.0),
    ("2024-01-05", "withdraw", 120.25),
    ("2024-01-09", "withdraw", 60.0),
    ("2024-01-15", "deposit", 1000.0),
    ("2024-01-20", "withdraw", 2000.0),
]
balance = 0.0
for date, kind, amount in ledger:
    if kind == "deposit":
        balance += amount
    elif amount <= balance:
        balance -= amount
    else:
        print(f"{date} declined {amount:.2f}")
        continue
    print(f"{date} {kind:<8} {amount:>9.2f} balance {balance:>9.2f}")
