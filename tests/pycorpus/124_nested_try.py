def outer(x):
    try:
        try:
            return 10 / x
        except ZeroDivisionError:
            print("inner caught zero")
            return int("nope")
    except ValueError as e:
        print("outer caught:", e)
        return -1

print(outer(5))
print(outer(0))
