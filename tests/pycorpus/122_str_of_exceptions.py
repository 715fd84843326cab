try:
    1 / 0
except ZeroDivisionError as e:
    print(str(e))
try:
    {"a": 1}["b"]
except KeyError as e:
    print(str(e))
try:
    [1, 2][5]
except IndexError as e:
    print(str(e))
try:
    int("x1")
except ValueError as e:
    print(str(e))
