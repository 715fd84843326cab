def show(a, b, c, d):
    print(a, b, c, d)

show(*[1, 2], *[3, 4])
show(1, *"xy", 4)
show(*range(4))
args = (10, 20)
show(0, *args, d=99)
