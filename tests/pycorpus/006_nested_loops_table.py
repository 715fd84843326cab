for i in range(1, 6):
    row = ""
    for j in range(1, 6):
        row += str(i * j).rjust(4)
    print(row)
