labels = ["even" if n % 2 == 0 else "odd" for n in range(6)]
print(labels)
clipped = [min(max(v, 0), 5) for v in [-3, 2, 7, 5, 0]]
print(clipped)
