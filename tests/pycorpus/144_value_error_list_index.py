names = ["ann", "bob"]
for who in ["bob", "cy"]:
    try:
        print(who, names.index(who))
    except ValueError as e:
        print(e)
try:
    names.remove("zed")
except ValueError as e:
    print(e)
