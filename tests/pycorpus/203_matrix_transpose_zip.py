m = [[1, 2, 3], [4, 5, 6]]
t = [list(col) for col in zip(*m)]
print(t)
print(list(zip(*t)))
identity = [[1 if i == j else 0 for j in range(4)] for i in range(4)]
for row in identity:
    print(" ".join(str(v) for v in row))
