readings = [3.5, 4.0, 2.5, 5.0, 4.5, 3.0]
total = 0.0
count = 0
lowest = None
highest = None
for r in readings:
    total += r
    count += 1
    if lowest is None or r < lowest:
        lowest = r
    if highest is None or r > highest:
        highest = r
    print(f"after {count}: mean={total / count:.3f} min={lowest} max={highest}")
