def moving_average(xs, window):
    out = []
    total = sum(xs[:window])
    out.append(total / window)
    for i in range(window, len(xs)):
        total += xs[i] - xs[i - window]
        out.append(total / window)
    return out

print(moving_average([1, 2, 3, 4, 5, 6, 7], 3))
print([round(v, 2) for v in moving_average([10, 20, 15, 30, 25], 2)])
