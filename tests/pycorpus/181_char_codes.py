print(ord("A"), ord("a"), ord("0"), chr(65), chr(97 + 25))
shifted = "".join(chr((ord(c) - ord("a") + 3) % 26 + ord("a")) for c in "xyzabc")
print(shifted)
