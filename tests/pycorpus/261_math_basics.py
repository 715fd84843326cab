import math

print(math.sqrt(16), math.sqrt(2))
print(math.floor(3.7), math.ceil(3.2), math.floor(-3.7), math.ceil(-3.2))
print(math.pi, math.e)
print(math.fabs(-2), math.pow(2, 10), math.trunc(-4.9))
