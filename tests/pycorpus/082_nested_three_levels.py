def outer(a):
    def middle(b):
        def inner(c):
            return a * 100 + b * 10 + c
        return inner
    return middle

print(outer(1)(2)(3))
f = outer(9)
g = f(8)
print(g(7), g(0), f(0)(0))
