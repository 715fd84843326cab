labels = []
for n in range(-3, 4):
    labels.append("neg" if n < 0 else ("zero" if n == 0 else "pos"))
print(labels)
