import math

values = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]
mean = math.fsum(values) / len(values)
std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
print(mean, std)
print(f"{mean:.2f} ± {std:.2f}")
