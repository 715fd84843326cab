import math as m
import functools as ft
import itertools as it

print(m.floor(2.5), ft.reduce(lambda a, b: a - b, [10, 1, 2]), list(it.repeat(0, 2)))
