def log(msg):
    print("LOG:", msg)

def maybe(flag):
    if flag:
        return 1
    return

r = log("hello")
print(r)
print(maybe(True), maybe(False))
