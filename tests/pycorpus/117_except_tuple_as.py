def risky(kind):
    if kind == "zero":
        return 1 / 0
    if kind == "key":
        return {}["missing"]
    if kind == "index":
        return [][0]
    return "fine"

for kind in ["zero", "key", "index", "ok"]:
    try:
        print(risky(kind))
    except (ZeroDivisionError, KeyError) as e:
        print(kind, "arithmetic or lookup:", type(e).__name__)
    except IndexError as e:
        print(kind, "index:", e)
