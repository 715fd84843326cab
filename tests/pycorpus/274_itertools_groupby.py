from itertools import groupby

data = sorted(["apple", "avocado", "banana", "blueberry", "cherry", "apricot"])
for letter, words in groupby(data, key=lambda w: w[0]):
    print(letter, list(words))
runs = [(k, len(list(g))) for k, g in groupby("aaabbcaa")]
print(runs)
