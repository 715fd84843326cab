def running_average():
    total = 0.0
    n = 0
    def add(value):
        nonlocal total, n
        total += value
        n += 1
        return total / n
    return add

avg = running_average()
for v in [10, 20, 30, 40]:
    print(avg(v))
