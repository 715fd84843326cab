def first_power_over(base, limit):
    p = 1
    steps = 0
    while p <= limit:
        p *= base
        steps += 1
        if steps > 50:
            print("gave up")
            break
    else:
        print(base, "reaches", p, "after", steps, "steps")

first_power_over(2, 1000)
first_power_over(3, 100)
first_power_over(1, 10)
