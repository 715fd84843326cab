def need_positive(n):
    if n <= 0:
        raise ValueError
    return n

try:
    need_positive(-1)
except ValueError as e:
    print("caught ValueError with message:", repr(str(e)))
