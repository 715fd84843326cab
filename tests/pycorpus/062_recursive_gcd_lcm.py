def gcd(a, b):
    return a if b == 0 else gcd(b, a % b)

def lcm(a, b):
    return a * b // gcd(a, b)

def lcm_all(*nums):
    result = 1
    for n in nums:
        result = lcm(result, n)
    return result

print(gcd(462, 1071), lcm(4, 6), lcm_all(*range(1, 11)))
