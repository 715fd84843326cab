for a, b in [(1, 0), (1.0, 0), (0, 0.0), (5, 2)]:
    try:
        print(a / b)
    except ZeroDivisionError as e:
        print(type(e).__name__, e)
for a, b in [(7, 0), (7.5, 0)]:
    try:
        print(a // b)
    except ZeroDivisionError as e:
        print("floordiv:", e)
    try:
        print(a % b)
    except ZeroDivisionError as e:
        print("mod:", e)
