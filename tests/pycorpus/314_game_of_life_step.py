def step(board):
    rows, cols = len(board), len(board[0])
    new = [[0] * cols for _ in range(rows)]
    for r in range(rows):
        for c in range(cols):
            n = 0
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    if (dr or dc) and 0 <= r + dr < rows and 0 <= c + dc < cols:
                        n += board[r + dr][c + dc]
            if board[r][c] and n in (2, 3):
                new[r][c] = 1
            elif not board[r][c] and n == 3:
                new[r][c] = 1
    return new

board = [[0, 1, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0]]
for _ in range(3):
    print("\n".join("".join("#" if v else "." for v in row) for row in board))
    print()
    board = step(board)
