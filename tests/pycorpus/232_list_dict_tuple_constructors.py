print(list("abc"), list(range(3)), list((1, 2)), list({"k": 1, "j": 2}))
print(dict([("a", 1)]), dict(x=1), dict({"a": 1}, b=2))
print(tuple([1, 2]), tuple(), list())
print(list(map(lambda kv: kv[0], {"p": 1, "q": 2}.items())))
