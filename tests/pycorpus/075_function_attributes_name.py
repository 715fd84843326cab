def helper():
    return 42

alias = helper
print(alias.__name__)
print(alias())
print(callable(alias), callable(42))
