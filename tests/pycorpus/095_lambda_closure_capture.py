def multipliers():
    return [lambda x, k=k: x * k for k in range(1, 5)]

print([m(10) for m in multipliers()])

def late_multipliers():
    return [lambda x: x * k for k in range(1, 5)]

print([m(10) for m in late_multipliers()])
