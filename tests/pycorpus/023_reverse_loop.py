letters = ["a", "b", "c", "d"]
for i in range(len(letters) - 1, -1, -1):
    print(i, letters[i])
for x in reversed(letters):
    print(x, end=" ")
print()
