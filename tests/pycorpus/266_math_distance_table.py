import math

points = [(0, 0), (3, 4), (-1, 1), (6, 8)]
for i in range(len(points)):
    row = []
    for j in range(len(points)):
        (x1, y1), (x2, y2) = points[i], points[j]
        row.append(f"{math.hypot(x2 - x1, y2 - y1):6.2f}")
    print(" ".join(row))
