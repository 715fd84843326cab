from itertools import pairwise, starmap

print(list(pairwise([1, 4, 9, 16])))
print([b - a for a, b in pairwise([1, 4, 9, 16])])
print(list(starmap(pow, [(2, 3), (3, 2), (10, 0)])))
