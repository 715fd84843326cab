for n in [0, 5, 10, 255, 4096]:
    print(f"{n:x} {n:X} {n:#x} {n:b} {n:#b} {n:o} {n:08b}")
