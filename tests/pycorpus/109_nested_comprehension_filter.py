grid = [[1, -2, 3], [-4, 5, -6], [7, -8, 9]]
positives = [[v for v in row if v > 0] for row in grid]
print(positives)
row_sums = [sum(row) for row in grid]
print(row_sums)
diag = [grid[i][i] for i in range(len(grid))]
print(diag)
