x = "outer"
values = [x for x in range(3)]
print(values)
print(x)
