import math

print(math.log(math.e), math.log10(1000), math.log2(1024), math.log(8, 2))
print(math.exp(0), math.exp(1) == math.e)
print(math.sin(0), math.cos(0), round(math.sin(math.pi / 2), 12))
print(math.hypot(3, 4), math.degrees(math.pi), math.radians(180) == math.pi)
