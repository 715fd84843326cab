def inner(a, b, c=0, d=0):
    return a + b * 10 + c * 100 + d * 1000

def outer(*args, **kwargs):
    print("args:", args, "kwargs:", sorted(kwargs.items()))
    return inner(*args, **kwargs)

print(outer(1, 2))
print(outer(1, 2, 3))
print(outer(1, b=2, d=4))
