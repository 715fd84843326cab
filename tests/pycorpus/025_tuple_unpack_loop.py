points = [(1, 2), (3, 4), (-1, 0), (0, -5)]
for x, y in points:
    quadrant = "origin axis"
    if x > 0 and y > 0:
        quadrant = "I"
    elif x < 0 and y > 0:
        quadrant = "II"
    elif x < 0 and y < 0:
        quadrant = "III"
    elif x > 0 and y < 0:
        quadrant = "IV"
    print(x, y, quadrant)
