def process(items):
    processed = 0
    try:
        for item in items:
            if item is None:
                raise ValueError("None item")
            processed += 1
    except ValueError as e:
        print("stopped:", e)
    finally:
        print("processed", processed)

process([1, 2, 3])
process([1, None, 3])
