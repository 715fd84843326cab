from functools import reduce
import operator

print(reduce(operator.add, range(10)))
print(reduce(operator.mul, [1, 2, 3, 4, 5]))
print(reduce(operator.or_, [1, 2, 4, 8]))
print(list(map(operator.itemgetter(1), [(1, "a"), (2, "b")])))
