i = 1
while i <= 3:
    j = 1
    line = []
    while j <= i:
        line.append(f"{i}x{j}={i * j}")
        j += 1
    print(", ".join(line))
    i += 1
