xs = [10, 20, 30]
for i in [0, 2, 3, -1, -4]:
    try:
        print(i, xs[i])
    except IndexError as e:
        print(i, "IndexError:", e)
