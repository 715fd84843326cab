from os.path import splitext, basename

files = ["a.csv", "b.json.gz", "c", "archive.tar.gz", ".bashrc"]
by_ext = {}
for f in files:
    root, ext = splitext(f)
    by_ext.setdefault(ext or "<none>", []).append(basename(root))
print(by_ext)
