a = [1, 2]
b = a + [3]
c = a * 3
a += [4]
print(a, b, c)
row = [0] * 5
print(row, len(row))
nested = [[0] * 2] * 2
nested[0][0] = 1
print(nested)
