s = "a\tbb\tccc"
print(s.expandtabs(4))
print("banana".count("an"), "banana".count("a", 2), "aaaa".count("aa"))
