def find_negative(rows):
    try:
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v < 0:
                    raise ValueError(f"negative at {r},{c}")
    except ValueError as e:
        return str(e)
    return "all non-negative"

print(find_negative([[1, 2], [3, -4], [-5, 6]]))
print(find_negative([[1], [2]]))
