def to_binary(n):
    if n < 2:
        return str(n)
    return to_binary(n // 2) + str(n % 2)

for n in [0, 1, 2, 5, 10, 255, 1024]:
    print(n, to_binary(n), int(to_binary(n), 2) == n)
