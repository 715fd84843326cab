tree = {"value": 1, "children": [
    {"value": 2, "children": [{"value": 4, "children": []}]},
    {"value": 3, "children": [{"value": 5, "children": []}, {"value": 6, "children": []}]},
]}

def depth(node):
    if not node["children"]:
        return 1
    return 1 + max(depth(c) for c in node["children"])

def total(node):
    return node["value"] + sum(total(c) for c in node["children"])

def walk(node, indent=0):
    print("  " * indent + str(node["value"]))
    for c in node["children"]:
        walk(c, indent + 1)

walk(tree)
print(depth(tree), total(tree))
