def point(x, y, z=0):
    return f"({x}, {y}, {z})"

print(point(1, 2))
print(point(y=5, x=1))
print(point(1, z=9, y=2))
print(point(*(7, 8), z=1))
print(point(**{"x": 0, "y": 0, "z": 0}))
