import os.path as osp

paths = [osp.join("data", f"part-{i:02d}.csv") for i in range(3)]
print(paths)
print([osp.basename(p) for p in paths])
print(osp.splitext(paths[0])[1])
