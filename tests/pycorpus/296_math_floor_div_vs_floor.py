import math

for a, b in [(7, 2), (-7, 2), (7.5, 2)]:
    print(a // b, math.floor(a / b), int(a / b))
