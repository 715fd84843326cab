name = "Ada"
age = 36
print(f"{name} is {age} years old")
print(f"next year {name} will be {age + 1}")
print(f"{name!r} {name.upper()} {len(name)}")
print(f"{{literal braces}} {age}")
