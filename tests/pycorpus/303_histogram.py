data = [1, 3, 2, 3, 3, 1, 5, 4, 3, 2, 5, 5]
hist = {}
for v in data:
    hist[v] = hist.get(v, 0) + 1
for value in sorted(hist):
    print(f"{value}: {'*' * hist[value]} ({hist[value]})")
