from functools import reduce, partial

add = lambda a, b: a + b
total = partial(reduce, add)
print(total([1, 2, 3]))
print(total(["a", "b", "c"]))
print(reduce(add, [[1], [2], [3]], []))
