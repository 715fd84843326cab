def nested_sum(data):
    if isinstance(data, (int, float)):
        return data
    total = 0
    for item in data:
        total += nested_sum(item)
    return total

print(nested_sum([1, [2, 3], (4, [5, [6]]), 7.5]))
