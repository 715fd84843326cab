matrix = [[r * 3 + c for c in range(3)] for r in range(3)]
print(matrix)
transposed = [[row[i] for row in matrix] for i in range(3)]
print(transposed)
flat = [x for row in matrix for x in row]
print(flat)
pairs = [(a, b) for a in range(3) for b in range(a, 3)]
print(pairs)
