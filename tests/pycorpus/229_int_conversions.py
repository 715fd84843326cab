print(int("42"), int(" 17 "), int("-0"), int(3.99), int(-3.99), int(True))
print(int("ff", 16), int("1010", 2), int("0o17", 8), int("z", 36))
print(int("1_000"), int(1e6), int("+5"))
