counts = [0, 0, 0]
for v in [0, 2, 2, 1, 2, 0]:
    counts[v] += 1
print(counts)
acc = [1, 2, 3]
acc[0] *= 10
acc[1] -= 5
acc[2] **= 3
acc[-1] //= 4
print(acc)
