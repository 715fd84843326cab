def digit_sum(n):
    total = 0
    while n > 0:
        total += n % 10
        n //= 10
    return total

def digital_root(n):
    while n >= 10:
        n = digit_sum(n)
    return n

for n in [0, 7, 38, 12345, 99999999]:
    print(n, digit_sum(n), digital_root(n))
