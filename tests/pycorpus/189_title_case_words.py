def smart_title(s, small=("a", "an", "the", "of", "in", "and")):
    words = s.split()
    out = []
    for i, w in enumerate(words):
        if i > 0 and w.lower() in small:
            out.append(w.lower())
        else:
            out.append(w.capitalize())
    return " ".join(out)

print(smart_title("the lord OF the rings"))
print(smart_title("a tale in the city and the sea"))
