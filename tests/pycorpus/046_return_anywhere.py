def classify(n):
    if n < 0:
        return "negative"
    for d in range(2, n):
        if n % d == 0:
            return f"composite (divisible by {d})"
    if n < 2:
        return "neither"
    return "prime"

for n in [-5, 0, 1, 2, 9, 13, 91]:
    print(n, classify(n))
