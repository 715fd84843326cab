def index_of(xs, target):
    for i, x in enumerate(xs):
        if x == target:
            return i
    return None

print(index_of(["a", "b", "c"], "c"))
print(index_of(["a", "b", "c"], "z"))
print(index_of([], "a"))
