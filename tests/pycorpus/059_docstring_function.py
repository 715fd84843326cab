def area(w, h):
    """Return the area of a w by h rectangle."""
    return w * h

print(area(3, 4))
print(area(2.5, 2))
