def safe_div(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        return None

print(safe_div(10, 4))
print(safe_div(1, 0))
print(safe_div(0, 5))
