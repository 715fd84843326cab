s = "   padded text \t\n"
print(repr(s.strip()))
print(repr(s.lstrip()))
print(repr(s.rstrip()))
print("xxhixx".strip("x"))
print("...done!!!".strip(".!"))
print("www.example.com".removeprefix("www.").removesuffix(".com"))
