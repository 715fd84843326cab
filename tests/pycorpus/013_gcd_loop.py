def gcd(a, b):
    while b:
        a, b = b, a % b
    return a

pairs = [(12, 18), (17, 5), (100, 75), (0, 9), (270, 192)]
for a, b in pairs:
    print(f"gcd({a}, {b}) = {gcd(a, b)}")
