def dedupe(items):
    seen = {}
    out = []
    for it in items:
        if it not in seen:
            seen[it] = True
            out.append(it)
    return out

print(dedupe([3, 1, 3, 2, 1, 4]))
print(dedupe("mississippi"))
print(list(dict.fromkeys([5, 5, 4, 5, 3])))
