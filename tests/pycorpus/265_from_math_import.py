from math import sqrt, pi, floor as fl

def circle_area(r):
    return pi * r ** 2

print(round(circle_area(2), 4))
print(sqrt(81), fl(9.99))
