for w in ["a", "abc", "abcdef"]:
    print("[" + w.ljust(5) + "]", "[" + w.rjust(5) + "]", "[" + w.center(5) + "]", "[" + w.center(6, "*") + "]")
print("42".zfill(5), "-42".zfill(5), "abc".zfill(2))
