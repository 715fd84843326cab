a = [1, 2, 3, 4]
b = "xy"
print(list(zip(a, b)))
pairs = [(1, "one"), (2, "two"), (3, "three")]
nums, words = zip(*pairs)
print(nums, words)
