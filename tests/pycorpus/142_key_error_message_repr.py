d = {"alpha": 1}
for key in ["beta", 3, ("t", 1)]:
    try:
        d[key]
    except KeyError as e:
        print("missing:", e, repr(e))
