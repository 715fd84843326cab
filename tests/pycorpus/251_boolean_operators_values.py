print(0 or "default", "set" or "default", None or 0 or [], 1 and 2, 0 and 1)
print(not 0, not 1, not None, True + True, True * 10)
name = ""
print(name or "anonymous")
