names = ["a", "b", "c"]
ages = [30, 40, 50]
cities = ["x", "y"]
for i, (n, a) in enumerate(zip(names, ages)):
    print(i, n, a)
print(list(zip(names, ages, cities)))
print(list(zip()))
print(dict(zip(names, range(3))))
