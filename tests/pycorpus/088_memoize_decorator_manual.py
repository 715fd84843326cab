def memoize(fn):
    cache = {}
    def wrapper(n):
        if n not in cache:
            cache[n] = fn(n)
        return cache[n]
    return wrapper

calls = []

def slow_square(n):
    calls.append(n)
    return n * n

fast = memoize(slow_square)
print([fast(i % 3) for i in range(7)])
print(calls)
