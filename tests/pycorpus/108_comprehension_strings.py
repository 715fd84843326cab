sentence = "Hello World From Python"
print([c for c in sentence if c.isupper()])
print("".join(c.lower() if c.isupper() else c.upper() for c in sentence))
print([len(w) for w in sentence.split()])
