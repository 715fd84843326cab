def binary_search(xs, target):
    lo, hi = 0, len(xs) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if xs[mid] == target:
            return mid
        elif xs[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1

data = [2, 3, 5, 8, 13, 21, 34, 55, 89]
for t in [2, 13, 89, 4, 100]:
    print(t, binary_search(data, t))
