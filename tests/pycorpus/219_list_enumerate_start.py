tasks = ["write", "test", "ship"]
for n, task in enumerate(tasks, start=1):
    print(f"{n}. {task}")
print(list(enumerate("ab", 10)))
