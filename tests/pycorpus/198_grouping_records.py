orders = [
    ("alice", "book", 12.5),
    ("bob", "pen", 1.2),
    ("alice", "lamp", 30.0),
    ("carol", "book", 12.5),
    ("bob", "notebook", 3.4),
    ("alice", "pen", 1.2),
]
by_customer = {}
for customer, item, price in orders:
    if customer not in by_customer:
        by_customer[customer] = []
    by_customer[customer].append((item, price))
for customer, items in by_customer.items():
    total = sum(p for _, p in items)
    names = ", ".join(i for i, _ in items)
    print(f"{customer:<6} {len(items)} items {total:7.2f}  {names}")
