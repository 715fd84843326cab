for n in [0, 7, 255, -10]:
    print(n, hex(n), oct(n), bin(n))
print(int(hex(255), 16), int(bin(5), 2))
