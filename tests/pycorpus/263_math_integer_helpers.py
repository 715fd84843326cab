import math

print(math.gcd(48, 180), math.factorial(10), math.comb(10, 3), math.perm(5, 2))
print(math.isqrt(99), math.prod([1, 2, 3, 4]))
print(math.isclose(0.1 + 0.2, 0.3), math.isinf(float("inf")), math.isnan(float("nan")))
