def divisors_sum(n):
    total = 1
    for d in range(2, int(n ** 0.5) + 1):
        if n % d == 0:
            total += d
            if d != n // d:
                total += n // d
    return total

print([n for n in range(2, 10000) if divisors_sum(n) == n])
