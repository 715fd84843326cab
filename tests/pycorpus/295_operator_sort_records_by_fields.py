from operator import itemgetter

people = [{"n": "b", "a": 2}, {"n": "a", "a": 2}, {"n": "c", "a": 1}]
for p in sorted(people, key=itemgetter("a", "n")):
    print(p)
