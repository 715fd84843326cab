log = []

def steps(n):
    log.append("start")
    value = 10 / n
    log.append("divided")
    return value

for n in [2, 0]:
    try:
        steps(n)
    except ZeroDivisionError:
        log.append("failed")
print(log)
