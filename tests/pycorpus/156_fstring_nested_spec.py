width = 12
precision = 3
value = 2 / 3
print(f"{value:{width}.{precision}f}|")
print(f"{'centered':^{width}}|")
for w in [4, 6, 8]:
    print(f"[{42:>{w}}]")
