memo = {}

def fib(n):
    if n in memo:
        return memo[n]
    if n < 2:
        result = n
    else:
        result = fib(n - 1) + fib(n - 2)
    memo[n] = result
    return result

print([fib(i) for i in range(15)])
print(fib(90))
print(len(memo))
