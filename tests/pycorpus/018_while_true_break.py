values = [4, 8, 15, 16, 23, 42]
i = 0
acc = 0
while True:
    if i >= len(values):
        break
    acc += values[i]
    if acc > 40:
        print("passed 40 at index", i)
        break
    i += 1
print(acc)
