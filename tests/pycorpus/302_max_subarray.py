def max_subarray(xs):
    best = current = xs[0]
    start = best_start = best_end = 0
    for i in range(1, len(xs)):
        if current < 0:
            current = xs[i]
            start = i
        else:
            current += xs[i]
        if current > best:
            best = current
            best_start, best_end = start, i
    return best, xs[best_start:best_end + 1]

print(max_subarray([-2, 1, -3, 4, -1, 2, 1, -5, 4]))
print(max_subarray([-3, -1, -2]))
