inventory = {"apple": 10, "banana": 5}
transactions = [("apple", -3), ("banana", 10), ("cherry", 7), ("apple", -7), ("banana", -15)]
for item, delta in transactions:
    current = inventory.get(item, 0)
    if current + delta < 0:
        print(f"cannot remove {-delta} {item}: only {current}")
        continue
    inventory[item] = current + delta
    if inventory[item] == 0:
        del inventory[item]
print(inventory)
