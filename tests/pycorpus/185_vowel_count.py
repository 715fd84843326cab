def vowels(s):
    return sum(1 for c in s.lower() if c in "aeiou")

for s in ["Programming", "rhythm", "AEIOU", "Queueing"]:
    print(s, vowels(s))
