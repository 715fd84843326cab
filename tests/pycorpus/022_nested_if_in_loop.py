temps = [12, 18, 25, 31, 8, -3, 22]
for t in temps:
    if t < 0:
        label = "freezing"
    elif t < 15:
        if t < 10:
            label = "cold"
        else:
            label = "cool"
    elif t < 28:
        label = "warm"
    else:
        label = "hot"
    print(f"{t:>3} {label}")
