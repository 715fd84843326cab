x = 10
y = 3
print(f"{x=}")
print(f"{x + y=}")
print(f"{x / y=:.3f}")
