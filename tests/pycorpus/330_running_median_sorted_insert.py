def insort(xs, v):
    i = 0
    while i < len(xs) and xs[i] < v:
        i += 1
    xs.insert(i, v)

window = []
for v in [5, 15, 1, 3, 8, 7, 9, 10]:
    insort(window, v)
    n = len(window)
    median = window[n // 2] if n % 2 else (window[n // 2 - 1] + window[n // 2]) / 2
    print(v, window, median)
