raw = """id,name,score
1,ann,88
2,bob,92
3,cid,75
4,dee,92"""
lines = raw.split("\n")
header = lines[0].split(",")
rows = []
for line in lines[1:]:
    fields = line.split(",")
    row = dict(zip(header, fields))
    row["id"] = int(row["id"])
    row["score"] = int(row["score"])
    rows.append(row)
best = max(r["score"] for r in rows)
print([r["name"] for r in rows if r["score"] == best])
print(sum(r["score"] for r in rows) / len(rows))
for r in sorted(rows, key=lambda r: (-r["score"], r["name"])):
    print(r["id"], r["name"], r["score"])
