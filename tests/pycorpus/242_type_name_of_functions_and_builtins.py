def f():
    return 1

print(type(f).__name__)
print(type(len).__name__)
print(type(lambda: 0).__name__)
print(type(range(3)).__name__, type(None).__name__)
