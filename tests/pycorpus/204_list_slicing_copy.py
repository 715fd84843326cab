original = [1, [2, 3], 4]
shallow = original[:]
shallow[0] = 100
shallow[1].append(99)
print(original)
print(shallow)
print(original[::-1], original[1:], original[:-1])
