poem = """Roses are red,
  Violets are blue,
Sugar is sweet."""
for i, line in enumerate(poem.split("\n"), 1):
    print(i, line.strip())
print(poem.count("\n"))
