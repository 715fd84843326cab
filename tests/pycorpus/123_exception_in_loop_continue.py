data = ["1", "2", "three", "4", "", "6"]
total = 0
bad = []
for item in data:
    try:
        total += int(item)
    except ValueError:
        bad.append(item)
        continue
print(total, bad)
