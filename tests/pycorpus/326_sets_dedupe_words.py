words = "to be or not to be that is the question".split()
unique = set(words)
print(len(words), len(unique))
print(sorted(unique))
