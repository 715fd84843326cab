messages = []
for divisor in [1, 0, 2, 0]:
    try:
        messages.append(str(8 / divisor))
    except ZeroDivisionError as err:
        messages.append("div0: " + str(err))
print(messages)
