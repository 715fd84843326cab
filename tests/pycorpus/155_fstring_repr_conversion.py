items = ["a", 1, 2.5, None, True, [1, "b"], {"k": "v"}]
for it in items:
    print(f"{it!r:>12} {it!s:<12}|")
