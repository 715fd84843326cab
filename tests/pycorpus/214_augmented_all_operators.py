x = 100
x += 5
print(x)
x -= 10
print(x)
x *= 3
print(x)
x //= 7
print(x)
x %= 13
print(x)
x **= 2
print(x)
y = 10
y /= 4
print(y)
s = "ab"
s *= 2
s += "!"
print(s)
