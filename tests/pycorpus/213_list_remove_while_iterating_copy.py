xs = [1, 2, 2, 3, 4, 4, 5]
for x in xs[:]:
    if x % 2 == 0:
        xs.remove(x)
print(xs)
ys = [x for x in range(10) if x % 3]
print(ys)
