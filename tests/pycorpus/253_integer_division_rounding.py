for n in range(-5, 6):
    print(n, n // 3, n % 3, -(-n // 3))
