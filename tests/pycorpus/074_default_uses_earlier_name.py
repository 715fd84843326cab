SCALE = 10

def scaled(x, factor=SCALE):
    return x * factor

SCALE = 100
print(scaled(2))
print(scaled(2, SCALE))
