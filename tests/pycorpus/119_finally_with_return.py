def f():
    try:
        return "from try"
    finally:
        print("finally runs before the return completes")

print(f())

def g(x):
    try:
        if x:
            return "early"
        print("no early return")
    finally:
        print("cleanup", x)
    return "late"

print(g(True))
print(g(False))
