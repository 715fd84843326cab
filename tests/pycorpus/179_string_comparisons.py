words = ["banana", "Apple", "cherry", "apple", "Banana"]
print(sorted(words))
print(sorted(words, key=str.lower))
print("apple" < "banana", "Apple" < "apple", "abc" == "abc", "a" in "cat", "z" not in "cat")
