def chunks(xs, size):
    return [xs[i:i + size] for i in range(0, len(xs), size)]

print(chunks(list(range(10)), 3))
print(chunks("abcdefg", 2))
print(chunks([], 4))
