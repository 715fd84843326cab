distances = {("a", "b"): 5, ("b", "c"): 3, ("a", "c"): 9}
route = ["a", "b", "c"]
total = 0
for i in range(len(route) - 1):
    total += distances[(route[i], route[i + 1])]
print(total, distances[("a", "c")] > total)
grid = {}
for x in range(3):
    for y in range(2):
        grid[x, y] = x * 10 + y
print(grid[2, 1], len(grid), sorted(grid)[:3])
