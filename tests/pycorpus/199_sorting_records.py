employees = [
    {"name": "Ann", "dept": "eng", "age": 34, "salary": 120000},
    {"name": "Bob", "dept": "ops", "age": 45, "salary": 95000},
    {"name": "Cid", "dept": "eng", "age": 29, "salary": 105000},
    {"name": "Dee", "dept": "ops", "age": 38, "salary": 95000},
    {"name": "Eve", "dept": "hr", "age": 50, "salary": 88000},
]
for e in sorted(employees, key=lambda e: (e["dept"], -e["salary"], e["name"])):
    print(e["dept"], e["name"], e["salary"])
print([e["name"] for e in sorted(employees, key=lambda e: e["age"], reverse=True)])
