print(str(1.0), str(1.10), str(2.5e-3), str(1e100), str(-0.0))
print(1.0 * 3, 0.3 * 3, 1e21, 1e15 * 10)
