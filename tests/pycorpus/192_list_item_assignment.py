grid = [[0] * 4 for _ in range(3)]
grid[1][2] = 5
grid[0][0] = grid[1][2] + 1
grid[-1][-1] = 9
for row in grid:
    print(row)
xs = list(range(6))
xs[1:3] = ["a", "b", "c"]
print(xs)
xs[::2] = [0, 0, 0, 0]
print(xs)
