funcs = []
for i in range(4):
    funcs.append(lambda: i)
print([f() for f in funcs])

bound = []
for i in range(4):
    bound.append(lambda i=i: i)
print([f() for f in bound])
