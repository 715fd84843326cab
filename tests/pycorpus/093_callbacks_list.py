handlers = []

def on(event):
    def register(fn):
        handlers.append((event, fn))
        return fn
    return register

def starting():
    return "starting up"

on("start")(starting)

def stopping():
    return "shutting down"

on("stop")(stopping)

for event, fn in handlers:
    print(event, "->", fn())
