from operator import itemgetter

rows = [("bob", 32, "ops"), ("amy", 25, "eng"), ("cat", 32, "eng")]
print(sorted(rows, key=itemgetter(1)))
print(sorted(rows, key=itemgetter(1, 0)))
get_name = itemgetter(0)
print([get_name(r) for r in rows])
print(itemgetter("a", "c")({"a": 1, "b": 2, "c": 3}))
