records = [
    {"name": "ann", "dept": "eng", "salary": 120},
    {"name": "bob", "dept": "ops", "salary": 90},
    {"name": "cid", "dept": "eng", "salary": 105},
    {"name": "dee", "dept": "sales", "salary": 80},
]
eng = [r["name"] for r in records if r["dept"] == "eng"]
print(eng)
raises = {r["name"]: round(r["salary"] * 1.05, 1) for r in records}
print(raises)
print(sum(r["salary"] for r in records) / len(records))
