text = "the cat sat on the mat with the hat"
print(text.find("the"), text.find("the", 1), text.rfind("the"), text.find("dog"))
print(text.count("the"), text.count("at"))
print(text.replace("the", "a"))
print(text.replace("at", "og", 2))
print(text.index("sat"))
