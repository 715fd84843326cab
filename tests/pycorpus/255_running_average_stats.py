def stats(xs):
    n = len(xs)
    mean = sum(xs) / n
    var = sum((x - mean) ** 2 for x in xs) / n
    return mean, var, var ** 0.5

mean, var, std = stats([2, 4, 4, 4, 5, 5, 7, 9])
print(mean, var, std)
mean, var, std = stats([1.5, 2.5, 3.5])
print(f"{mean:.3f} {var:.4f} {std:.4f}")
