t = (1, "two", 3.0)
print(t, len(t), t[1], t[-1], t[::-1])
single = (5,)
print(single, type(single).__name__, type((5)).__name__)
a, b, c = t
print(a, b, c)
print(t + (4,), t * 2, t.index("two"), (1, 1, 2).count(1))
print(tuple([1, 2]), tuple("ab"), tuple())
