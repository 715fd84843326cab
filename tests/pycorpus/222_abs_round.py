for v in [-3, 3, -2.5, 0.0, -0.0]:
    print(abs(v))
for v in [2.5, 3.5, -2.5, 0.5, 1.5, 2.675]:
    print(v, round(v), round(v, 1))
print(round(1234.5678, -2), round(1234, -2), round(7), round(-0.4))
