def shout(fn):
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs).upper() + "!"
    return wrapper

def greet(name, greeting="hello"):
    return f"{greeting} {name}"

greet = shout(greet)

print(greet("ada"))
print(greet("bob", greeting="hi"))
