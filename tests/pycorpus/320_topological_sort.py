deps = {"app": ["lib", "utils"], "lib": ["core"], "utils": ["core"], "core": [], "docs": ["app"]}

def topo(deps):
    order = []
    state = {}
    def visit(n):
        if state.get(n) == "done":
            return
        if state.get(n) == "active":
            raise ValueError("cycle at " + n)
        state[n] = "active"
        for d in deps[n]:
            visit(d)
        state[n] = "done"
        order.append(n)
    for n in deps:
        visit(n)
    return order

print(topo(deps))
try:
    topo({"a": ["b"], "b": ["a"]})
except ValueError as e:
    print(e)
