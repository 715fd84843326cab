try:
    {}["k"]
except LookupError as e:
    print("LookupError caught a", type(e).__name__)
try:
    [][0]
except LookupError as e:
    print("LookupError caught a", type(e).__name__)
try:
    1 / 0
except ArithmeticError as e:
    print("ArithmeticError caught a", type(e).__name__)
