from itertools import combinations, permutations, product

print(list(combinations("abc", 2)))
print(len(list(permutations(range(4), 2))))
print(list(product([0, 1], repeat=2)))
print(list(product("ab", [1, 2])))
