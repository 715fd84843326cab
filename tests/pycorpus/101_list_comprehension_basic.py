squares = [n * n for n in range(10)]
evens = [n for n in range(20) if n % 2 == 0]
words = [w.upper() for w in "the quick brown fox".split() if len(w) > 3]
print(squares)
print(evens)
print(words)
