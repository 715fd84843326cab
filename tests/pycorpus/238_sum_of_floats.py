vals = [0.1] * 10
print(sum(vals))
print(sum(vals) == 1.0, round(sum(vals), 10) == 1.0)
print(sum([1, 2.5, 3]))
