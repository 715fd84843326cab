xs = [1, 4, 9, 16, 25, 36]
diffs = []
for i in range(1, len(xs)):
    diffs.append(xs[i] - xs[i - 1])
print(diffs)
second = []
for i in range(1, len(diffs)):
    second.append(diffs[i] - diffs[i - 1])
print(second)
