def run_length(s):
    if not s:
        return ""
    out = []
    current = s[0]
    count = 1
    for ch in s[1:]:
        if ch == current:
            count += 1
        else:
            out.append(f"{count}{current}")
            current = ch
            count = 1
    out.append(f"{count}{current}")
    return "".join(out)

for s in ["aaabccdddd", "abc", "", "zzzzzzzzzzzz"]:
    print(repr(s), run_length(s))
