def two(a, b):
    return a + b

for args in [(1,), (1, 2), (1, 2, 3)]:
    try:
        print(two(*args))
    except TypeError:
        print("wrong number of arguments:", len(args))
