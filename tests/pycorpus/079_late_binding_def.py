def build():
    result = []
    for k in range(3):
        def show():
            return k * 10
        result.append(show)
    return result

print([f() for f in build()])
