def f(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, sorted(kw.items()))

print(f(1, c=3))
print(f(1, 5, 6, 7, c=3))
print(f(1, c=3, d=0, z=9, y=8))
print(f(*[1, 2, 3], **{"c": 10, "q": 1}))
