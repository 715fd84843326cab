def total(*nums):
    result = 0
    for n in nums:
        result += n
    return result

print(total())
print(total(1))
print(total(1, 2, 3, 4))
values = [10, 20, 30]
print(total(*values))
print(total(*values, 5, *range(3)))
