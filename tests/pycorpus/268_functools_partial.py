from functools import partial

def power(base, exponent):
    return base ** exponent

square = partial(power, exponent=2)
two_to = partial(power, 2)
print([square(n) for n in range(5)])
print([two_to(n) for n in range(5)])
hello = partial(print, "hello", sep=": ")
hello("world")
