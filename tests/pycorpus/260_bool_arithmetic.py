flags = [True, False, True, True]
print(sum(flags), flags.count(True), int(False), True / 2)
print(sorted([True, 0, 2, False]))
