prices = {"apple": 1.25, "bread": 2.5, "milk": 0.99}
for name, price in prices.items():
    print(name, price)
for i, (name, price) in enumerate(prices.items()):
    print(i, name.upper(), price * 2)
