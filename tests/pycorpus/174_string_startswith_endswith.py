files = ["report.csv", "data.json", "notes.txt", "archive.tar.gz", "README"]
for f in files:
    print(f, f.endswith(".csv"), f.endswith((".json", ".txt")), f.startswith("R"))
