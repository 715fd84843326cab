word = "mississippi"
counts = {}
for ch in word:
    if ch in counts:
        counts[ch] += 1
    else:
        counts[ch] = 1
for ch, n in counts.items():
    print(ch, n)
