def knapsack(items, capacity):
    best = [0] * (capacity + 1)
    for weight, value in items:
        for c in range(capacity, weight - 1, -1):
            best[c] = max(best[c], best[c - weight] + value)
    return best[capacity]

print(knapsack([(1, 1), (3, 4), (4, 5), (5, 7)], 7))
print(knapsack([(10, 60), (20, 100), (30, 120)], 50))
