import math

print(math.inf, -math.inf, math.inf > 10 ** 100)
print(math.isfinite(1.0), math.isfinite(math.inf))
print(math.copysign(3, -0.0), math.fsum([0.1] * 10))
