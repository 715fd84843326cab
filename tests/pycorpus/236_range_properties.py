r = range(2, 20, 3)
print(list(r), len(r), r[0], r[-1], 5 in r, 6 in r)
print(list(range(5, 0, -1)), list(range(0, -5, -1)), list(range(3, 3)))
print(sum(range(101)), max(range(7)), list(r[1:3]))
