for n in [5, -5, 42, 0]:
    print(f"{n:03d} {n:+d} {n:+05d} {n: d}")
print(f"{3.5:+.1f} {-3.5:+.1f} {7:06.2f}")
