inventory = {"apples": 3, "pears": 0}
for item in ["apples", "plums", "pears"]:
    try:
        count = inventory[item]
        print(item, count)
    except KeyError:
        print(item, "not stocked")
