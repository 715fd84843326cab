def flatten(d, prefix=""):
    out = {}
    for k, v in d.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            out.update(flatten(v, key))
        else:
            out[key] = v
    return out

print(flatten({"a": 1, "b": {"c": 2, "d": {"e": 3}}, "f": [4]}))
