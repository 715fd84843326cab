try:
    raise ValueError("bad value", 42)
except ValueError as e:
    print(e.args)
    print(len(e.args))
try:
    raise KeyError("k")
except KeyError as e:
    print(e.args, str(e))
