def level3(x):
    return {"a": 1}[x]

def level2(x):
    return level3(x) * 2

def level1(x):
    try:
        return level2(x)
    except KeyError as e:
        return f"missing {e}"

print(level1("a"))
print(level1("zz"))
