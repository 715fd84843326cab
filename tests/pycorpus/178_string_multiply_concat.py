print("ab" * 3)
print("-" * 10)
print("x" * 0 == "")
parts = ["a", "b"]
parts += ["c"]
s = ""
for p in parts:
    s += p.upper()
print(s)
