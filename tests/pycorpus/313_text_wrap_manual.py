def wrap(text, width):
    lines = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = word if not current else current + " " + word
    if current:
        lines.append(current)
    return lines

for line in wrap("The quick brown fox jumps over the lazy dog and keeps running far away", 16):
    print(f"|{line:<16}|")
