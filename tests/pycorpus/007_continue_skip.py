total = 0
for n in range(20):
    if n % 3 == 0:
        continue
    if n > 15:
        break
    total += n
print(total)
