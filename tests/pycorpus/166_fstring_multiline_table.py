header = ("name", "score")
data = [("ann", 91.5), ("bob", 78.25), ("cy", 100)]
lines = [f"{header[0]:<6}{header[1]:>8}"]
for n, s in data:
    lines.append(f"{n:<6}{s:>8.1f}")
print("\n".join(lines))
