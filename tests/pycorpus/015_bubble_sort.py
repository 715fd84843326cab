def bubble_sort(items):
    xs = list(items)
    n = len(xs)
    for i in range(n):
        swapped = False
        for j in range(n - 1 - i):
            if xs[j] > xs[j + 1]:
                xs[j], xs[j + 1] = xs[j + 1], xs[j]
                swapped = True
        if not swapped:
            break
    return xs

print(bubble_sort([5, 1, 4, 2, 8, 0, 2]))
print(bubble_sort([]))
print(bubble_sort(["pear", "apple", "fig"]))
