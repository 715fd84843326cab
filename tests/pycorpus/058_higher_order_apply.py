def apply_n(f, n, x):
    for _ in range(n):
        x = f(x)
    return x

print(apply_n(lambda v: v * 2, 10, 1))
print(apply_n(lambda s: s + "!", 3, "hey"))
print(apply_n(lambda xs: xs + [len(xs)], 4, []))
