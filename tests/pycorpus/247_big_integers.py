print(2 ** 100)
print(3 ** 50 + 1)
f = 1
for i in range(1, 31):
    f *= i
print(f)
print(2 ** 64 - 1, -(2 ** 63), (2 ** 63) // 7, (2 ** 70) % 1000)
print(len(str(2 ** 1000)))
