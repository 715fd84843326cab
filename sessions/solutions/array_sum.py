sums = []
lengths = []
for i in range(0, 1_000_000, 100_000):
    chunk = dset[i: i + 100_000]  # pull out a numpy array
    sums.append(chunk.sum())
    lengths.append(len(chunk))

total = sum(sums)
length = sum(lengths)
mean_by_hand = total / length
print(length)
