records = [
    {"name": "ann", "age": "31"},
    {"name": "", "age": "20"},
    {"name": "bo", "age": "x"},
    {"age": "5"},
]
errors = []
valid = []
for i, r in enumerate(records):
    try:
        name = r["name"]
        if not name:
            raise ValueError("empty name")
        age = int(r["age"])
        valid.append((name, age))
    except KeyError as e:
        errors.append(f"record {i}: missing {e}")
    except ValueError as e:
        errors.append(f"record {i}: {e}")
print(valid)
for e in errors:
    print(e)
