import json

for text in ['{"ok": 1}', "{bad json}", "[1, 2", ""]:
    try:
        print(json.loads(text))
    except ValueError:
        print("invalid:", repr(text))
