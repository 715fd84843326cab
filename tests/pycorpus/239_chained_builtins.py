data = "5 3 9 1 7"
nums = list(map(int, data.split()))
print(sorted(nums, reverse=True)[:3])
print(sum(sorted(nums)[1:-1]) / (len(nums) - 2))
print(list(enumerate(sorted(nums), start=1)))
