def make_greeters(names):
    greeters = {}
    for name in names:
        def greeter(greeting, who=name):
            return f"{greeting}, {who}"
        greeters[name] = greeter
    return greeters

g = make_greeters(["ann", "ben"])
print(g["ann"]("hi"))
print(g["ben"]("yo"))
