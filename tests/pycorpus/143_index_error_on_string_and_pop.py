s = "abc"
try:
    s[10]
except IndexError as e:
    print("str:", e)
xs = []
try:
    xs.pop()
except IndexError as e:
    print("pop:", e)
