def not_done_yet():
    pass

class_names = []
for word in ["alpha", "beta", "gamma"]:
    if word.startswith("b"):
        pass
    else:
        class_names.append(word)
print(not_done_yet())
print(class_names)
