def load(key, table):
    try:
        return table[key]
    except KeyError:
        print("lookup failed for", key)
        raise

try:
    load("b", {"a": 1})
except KeyError as e:
    print("caught again:", repr(e))
print(load("a", {"a": 1}))
