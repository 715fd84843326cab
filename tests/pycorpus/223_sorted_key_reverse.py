words = ["pear", "Fig", "apple", "kiwi", "banana"]
print(sorted(words))
print(sorted(words, reverse=True))
print(sorted(words, key=len))
print(sorted(words, key=lambda w: (len(w), w.lower())))
print(sorted(words, key=str.lower, reverse=True))
print(sorted([3, 1, 2]), sorted((9, 8)), sorted("cab"), sorted({"b": 1, "a": 2}))
