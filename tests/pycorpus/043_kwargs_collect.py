def describe(**info):
    parts = []
    for key, value in info.items():
        parts.append(f"{key}={value!r}")
    return ", ".join(parts)

print(describe())
print(describe(name="rask", version=1))
opts = {"color": "red", "size": 3}
print(describe(**opts, extra=True))
