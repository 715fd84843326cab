print(str(123), str(1.5), str(None), str(True), str([1, "a"]))
print(bool(0), bool(1), bool(""), bool(" "), bool([]), bool([[]]), bool(None), bool(0.0))
print(bool("False"), not "", not [1])
