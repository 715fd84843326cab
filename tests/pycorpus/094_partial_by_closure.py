def power(base, exp):
    return base ** exp

def fix_exp(exp):
    return lambda base: power(base, exp)

square = fix_exp(2)
cube = fix_exp(3)
print([square(i) for i in range(6)])
print([cube(i) for i in range(6)])
