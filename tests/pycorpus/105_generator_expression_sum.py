print(sum(n * n for n in range(101)))
print(max(len(w) for w in "a bb ccc dddd".split()))
print(min((abs(x - 7), x) for x in [1, 5, 9, 12]))
print(any(n > 50 for n in [1, 20, 60]), all(n > 0 for n in [1, 2, -3]))
