print(list(reversed([1, 2, 3])))
print("".join(reversed("abc")))
print(list(reversed(range(5))))
print(tuple(reversed((1, "a"))))
