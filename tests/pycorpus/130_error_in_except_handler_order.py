def classify(v):
    try:
        return 100 // v
    except (TypeError, ValueError):
        return "wrong type"
    except ZeroDivisionError:
        return "zero"

print(classify(7), classify(0), classify("x"), classify(None))
