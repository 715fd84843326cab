games = ["ann:3-1:bob", "bob:2-2:cid", "cid:0-1:ann", "bob:4-0:cid"]
points = {}
for g in games:
    home, score, away = g.split(":")
    h, a = map(int, score.split("-"))
    for team in (home, away):
        points.setdefault(team, 0)
    if h > a:
        points[home] += 3
    elif a > h:
        points[away] += 3
    else:
        points[home] += 1
        points[away] += 1
for rank, (team, p) in enumerate(sorted(points.items(), key=lambda kv: (-kv[1], kv[0])), 1):
    print(rank, team, p)
