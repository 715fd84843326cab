import os

for p in ["/home/user/data.tar.gz", "relative/file.txt", "noext", "/trailing/", "dir/.hidden"]:
    print(repr(os.path.basename(p)), repr(os.path.dirname(p)), os.path.splitext(p))
