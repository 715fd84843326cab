def check_age(age):
    if not isinstance(age, int):
        raise TypeError("age must be an int")
    if age < 0:
        raise ValueError(f"age cannot be negative: {age}")
    return age

for a in [30, -1, "x", 0]:
    try:
        print("ok", check_age(a))
    except ValueError as e:
        print("ValueError:", e)
    except TypeError as e:
        print("TypeError:", e)
