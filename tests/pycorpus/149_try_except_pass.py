xs = ["1", "a", "2", "b", "3"]
nums = []
for x in xs:
    try:
        nums.append(int(x))
    except ValueError:
        pass
print(nums, sum(nums))
