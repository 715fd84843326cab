scores = {}
for name, score in [("zed", 3), ("amy", 9), ("kim", 5), ("amy", 10)]:
    scores[name] = score
print(scores)
for name in scores:
    print(name, scores[name])
print(sorted(scores), sorted(scores.values()), sorted(scores, key=scores.get))
