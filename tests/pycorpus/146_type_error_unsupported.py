for a, b in [("a", 2), ([1], "b"), (3, "c")]:
    try:
        print(a * b)
    except TypeError:
        print("TypeError for", repr(a), repr(b))
