def shortest_path(grid, start, goal):
    rows, cols = len(grid), len(grid[0])
    queue = [(start, 0)]
    seen = {start: True}
    while queue:
        (r, c), d = queue.pop(0)
        if (r, c) == goal:
            return d
        for dr, dc in [(1, 0), (-1, 0), (0, 1), (0, -1)]:
            nr, nc = r + dr, c + dc
            if 0 <= nr < rows and 0 <= nc < cols and grid[nr][nc] == "." and (nr, nc) not in seen:
                seen[(nr, nc)] = True
                queue.append(((nr, nc), d + 1))
    return -1

maze = ["..#.", ".##.", "....", "#.#."]
print(shortest_path(maze, (0, 0), (0, 3)))
print(shortest_path(maze, (0, 0), (3, 3)))
print(shortest_path([".#", "#."], (0, 0), (1, 1)))
