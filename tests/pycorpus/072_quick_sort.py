def quick_sort(xs):
    if len(xs) < 2:
        return xs
    pivot = xs[0]
    less = [x for x in xs[1:] if x < pivot]
    more = [x for x in xs[1:] if x >= pivot]
    return quick_sort(less) + [pivot] + quick_sort(more)

print(quick_sort([3, 6, 8, 10, 1, 2, 1]))
print(quick_sort([5, 4, 3, 2, 1]))
