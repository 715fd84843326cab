import json, collections
got = json.load(open('ops.json.out')); exp = json.load(open('ops_expect.json'))
cases = json.load(open('ops.json'))
bad = [(i, g, e) for i, (g, e) in enumerate(zip(got, exp)) if g != e]
print(len(got), "cases,", len(bad), "mismatches")
groups = collections.Counter((cases[i]["kind"], cases[i]["op"], cases[i]["a"]["dtype"], cases[i].get("b", {}).get("dtype", cases[i].get("b", {}).get("scalar"))) for i, g, e in bad)
for k, v in sorted(groups.items()): print(v, k)
import sys
n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
for i, g, e in bad[:n]:
    c = cases[i]
    print("---", c["kind"], c["op"], c["a"]["dtype"], c["a"]["data"][:6], c.get("b"), c.get("left"), c.get("axis"), c.get("keepdims"))
    print("got:", g); print("exp:", e)
