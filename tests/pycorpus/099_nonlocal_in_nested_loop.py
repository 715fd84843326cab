def count_pairs(xs, target):
    found = 0
    def check(a, b):
        nonlocal found
        if a + b == target:
            found += 1
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            check(xs[i], xs[j])
    return found

print(count_pairs([1, 2, 3, 4, 5, 6], 7))
print(count_pairs([5, 5, 5], 10))
