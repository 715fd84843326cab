ops = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}
for expr in ["3 + 4", "10 - 7", "6 * 7", "9 / 4"]:
    a, op, b = expr.split()
    print(expr, "=", ops[op](int(a), int(b)))
