def is_palindrome(s):
    cleaned = ""
    for ch in s.lower():
        if ch.isalnum():
            cleaned += ch
    return cleaned == cleaned[::-1]

for s in ["Racecar", "A man, a plan, a canal: Panama", "hello", "", "No lemon, no melon"]:
    print(repr(s), is_palindrome(s))
