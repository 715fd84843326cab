def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps

for start in [1, 2, 3, 6, 7, 27]:
    print(start, collatz_steps(start))
