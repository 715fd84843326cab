def square(x):
    return x * x

def cube(x):
    return x * x * x

ops = {"square": square, "cube": cube, "neg": lambda x: -x}
for name in ["square", "cube", "neg"]:
    fn = ops[name]
    print(name, [fn(v) for v in range(1, 5)])
