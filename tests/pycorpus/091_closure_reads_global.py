RATE = 0.2

def price_with_tax(price):
    return round(price * (1 + RATE), 2)

print(price_with_tax(10))
RATE = 0.1
print(price_with_tax(10))
