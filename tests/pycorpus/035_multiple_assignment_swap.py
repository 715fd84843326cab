a, b, c = 1, 2, 3
a, b, c = c, a, b
print(a, b, c)
x = y = z = 0
x += 1
print(x, y, z)
first, *rest = [10, 20, 30, 40]
print(first, rest)
*init, last = "abcd"
print(init, last)
