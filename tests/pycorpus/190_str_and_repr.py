values = [1, 1.0, "1", [1], (1,), {"a": 1}, None, True, 1.5e-10, "it's", 'say "hi"']
for v in values:
    print(str(v), repr(v))
