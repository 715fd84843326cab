def summarize(values):
    n = len(values)
    if n == 0:
        return "empty"
    total = sum(values)
    mean = total / n
    ordered = sorted(values)
    mid = n // 2
    if n % 2:
        median = ordered[mid]
    else:
        median = (ordered[mid - 1] + ordered[mid]) / 2
    spread = ordered[-1] - ordered[0]
    return f"n={n} total={total} mean={mean:.2f} median={median} range={spread}"

print(summarize([]))
print(summarize([4]))
print(summarize([3, 1, 4, 1, 5, 9, 2, 6]))
print(summarize([2.5, 3.5, 1.0]))
