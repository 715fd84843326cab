for a, b in [(17, 5), (-17, 5), (17, -5), (-17, -5), (7.5, 2)]:
    print(a, b, divmod(a, b), a // b, a % b)
