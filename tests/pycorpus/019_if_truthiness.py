for value in [0, 1, "", "x", [], [0], {}, {"a": 1}, None, 0.0, -1]:
    if value:
        print(repr(value), "is truthy")
    else:
        print(repr(value), "is falsy")
