records = [("ann", (3, 4)), ("bob", (5, 12)), ("cy", (8, 15))]
for name, (a, b) in records:
    c = (a * a + b * b) ** 0.5
    print(name, a, b, c)
