s = "hello World, HELLO rask"
print(s.upper())
print(s.lower())
print(s.title())
print(s.capitalize())
print(s.swapcase())
print("straße".upper())
