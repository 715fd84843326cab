csv_line = "name,age,,city"
print(csv_line.split(","))
print(csv_line.split(",", 1))
print("  many   spaces here ".split())
print("a-b-c".rsplit("-", 1))
print("|".join(["x", "y", "z"]))
print("".join(reversed("stressed")))
print("line1\nline2\r\nline3".splitlines())
