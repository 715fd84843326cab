d = {i: i * i for i in range(8)}
for k in list(d):
    if d[k] % 2:
        del d[k]
print(d)
