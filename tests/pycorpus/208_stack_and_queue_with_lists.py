stack = []
for ch in "abc":
    stack.append(ch)
while stack:
    print("pop", stack.pop())
queue = [1, 2, 3]
queue.append(4)
while queue:
    print("serve", queue.pop(0))
