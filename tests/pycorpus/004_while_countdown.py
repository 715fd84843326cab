n = 5
while n > 0:
    print("T-minus", n)
    n -= 1
print("liftoff")
