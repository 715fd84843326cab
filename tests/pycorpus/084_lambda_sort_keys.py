people = [("alice", 31), ("bob", 25), ("carol", 35), ("dave", 25)]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: (p[1], p[0]), reverse=True))
print(sorted(people, key=lambda p: len(p[0])))
print(min(people, key=lambda p: p[1]), max(people, key=lambda p: p[1]))
