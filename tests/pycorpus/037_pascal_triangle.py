rows = [[1]]
for _ in range(7):
    prev = rows[-1]
    row = [1]
    for i in range(len(prev) - 1):
        row.append(prev[i] + prev[i + 1])
    row.append(1)
    rows.append(row)
for row in rows:
    print(" ".join(str(v) for v in row).center(30).rstrip())
