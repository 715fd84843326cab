import itertools

print(list(itertools.islice(itertools.count(10, 5), 4)))
print(list(itertools.islice("abcdefg", 2, 6, 2)))
evens = (n for n in itertools.count() if n % 2 == 0)
print(list(itertools.islice(evens, 5)))
