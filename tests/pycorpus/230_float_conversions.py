print(float("3.5"), float("-1e3"), float(7), float("  2.25  "))
print(float("inf"), float("-inf"), float("nan") != float("nan"))
print(float(True), float("1_0.5"))
