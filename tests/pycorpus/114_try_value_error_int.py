def parse_int(text):
    try:
        return int(text)
    except ValueError as e:
        print("bad input:", e)
        return 0

print(parse_int("42"))
print(parse_int("  -7 "))
print(parse_int("4.5"))
print(parse_int("abc"))
