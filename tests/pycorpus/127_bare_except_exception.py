results = []
for f in [lambda: 1, lambda: 1 / 0, lambda: [][1], lambda: "ok"]:
    try:
        results.append(f())
    except Exception as e:
        results.append(type(e).__name__)
print(results)
