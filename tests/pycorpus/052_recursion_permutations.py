def permutations(xs):
    if len(xs) <= 1:
        return [xs[:]]
    result = []
    for i in range(len(xs)):
        rest = xs[:i] + xs[i + 1:]
        for p in permutations(rest):
            result.append([xs[i]] + p)
    return result

for p in permutations([1, 2, 3]):
    print(p)
print(len(permutations(list("abcd"))))
