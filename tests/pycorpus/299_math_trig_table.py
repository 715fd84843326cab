import math

for deg in range(0, 361, 45):
    rad = math.radians(deg)
    print(f"{deg:>3} {math.sin(rad):+.4f} {math.cos(rad):+.4f}")
