attempts = 0
values = ["x", "y", "3"]
while True:
    try:
        n = int(values[attempts])
        print("parsed", n, "after", attempts + 1, "attempts")
        break
    except ValueError:
        attempts += 1
        print("retrying")
