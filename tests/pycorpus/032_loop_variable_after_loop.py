for i in range(4):
    pass
print("i after loop:", i)
last = None
for word in "the quick brown fox".split():
    last = word
print(last)
