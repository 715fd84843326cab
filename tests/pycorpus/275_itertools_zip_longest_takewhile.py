import itertools

print(list(itertools.zip_longest([1, 2, 3], "ab", fillvalue="-")))
print(list(itertools.takewhile(lambda x: x < 4, [1, 2, 5, 1])))
print(list(itertools.dropwhile(lambda x: x < 4, [1, 2, 5, 1])))
print(list(itertools.compress("abcdef", [1, 0, 1, 0, 1, 1])))
