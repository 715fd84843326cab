nums = [3, 1, 4, 1, 5, 9, 2, 6]
print(", ".join(str(n) for n in nums))
print("-".join(str(n) for n in sorted(nums) if n > 2))
print(list(str(n * 2) for n in nums[:3]))
