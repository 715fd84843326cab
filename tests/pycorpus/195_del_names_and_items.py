data = {"a": 1, "b": 2, "c": 3}
del data["b"]
print(data)
xs = [0, 1, 2, 3, 4, 5]
del xs[0]
del xs[-1]
print(xs)
del xs[1:3]
print(xs)
temp = "gone soon"
del temp
try:
    print(temp)
except NameError:
    print("temp was deleted")
