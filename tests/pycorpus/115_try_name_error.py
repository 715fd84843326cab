try:
    print(undefined_variable)
except NameError as e:
    print("NameError:", e)
print("still running")
