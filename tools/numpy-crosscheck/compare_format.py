import json
got = json.load(open('fmt_cases.json.out')); exp = json.load(open('fmt_expect.json'))
cases = json.load(open('fmt_cases.json'))
bad = [(i, g, e) for i, (g, e) in enumerate(zip(got, exp)) if g != e]
print(len(got), "cases,", len(bad), "mismatches")
for i, g, e in bad[:12]:
    print("---", cases[i]["dtype"], cases[i]["shape"], cases[i]["data"][:6])
    print("got:", g); print("exp:", e)
