def add_numbers(a, b):
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
        raise TypeError(f"expected numbers, got {type(a).__name__} and {type(b).__name__}")
    return a + b

for args in [(1, 2), (1.5, 2), ("1", 2), (1, [2])]:
    try:
        print(add_numbers(*args))
    except TypeError as e:
        print("error:", e)
