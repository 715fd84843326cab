import itertools

for x, y in itertools.product(range(2), range(3)):
    print(x, y, x * y)
