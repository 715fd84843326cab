def lookup(d, k):
    try:
        v = d[k]
    except KeyError:
        return "default"
    else:
        return f"found {v}"

print(lookup({"x": 1}, "x"))
print(lookup({"x": 1}, "y"))
