import os.path

print(os.path.join("data", "2024", "file.csv"))
print(os.path.join("/root", "sub/", "x.txt"))
print(os.path.join("a", "/abs", "b"))
print(os.path.join("only"))
