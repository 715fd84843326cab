print(2 + 3 * 4 ** 2 // 5 % 7)
print(-3 ** 2, (-3) ** 2, not True == False, 1 < 2 == 2)
print(1 + 2 if False else 3 + 4)
print(5 & 3, 5 | 3, 5 ^ 3, ~5, 1 << 4, 256 >> 3)
