text = "hello world"
letters = {c for c in text if c.isalpha()}
print(sorted(letters))
squares_mod = {n * n % 7 for n in range(20)}
print(sorted(squares_mod))
