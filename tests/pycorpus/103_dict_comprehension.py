words = ["apple", "banana", "cherry", "date"]
lengths = {w: len(w) for w in words}
print(lengths)
first = {w[0]: w for w in words}
print(first)
inverted = {v: k for k, v in {"a": 1, "b": 2, "c": 3}.items()}
print(inverted)
squares = {n: n * n for n in range(6) if n % 2}
print(squares)
