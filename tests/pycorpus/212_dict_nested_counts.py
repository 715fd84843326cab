log = [("mon", "error"), ("mon", "info"), ("tue", "error"), ("mon", "error"), ("tue", "warn")]
table = {}
for day, level in log:
    table.setdefault(day, {})
    table[day][level] = table[day].get(level, 0) + 1
for day, levels in table.items():
    print(day, sorted(levels.items()))
