n = 9876543210
digits = [int(d) for d in str(n)]
print(digits, sum(digits), len(str(n)))
print(int("".join(str(d) for d in reversed(digits))))
