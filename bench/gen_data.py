"""Write the benchmark's HDF5 inputs with h5py (not rask), once.

The same float32 exponential draws go into three files, all with the dataset `/x`:
contiguous (h5py's default layout, as the Dask tutorial's random_array writes),
chunked (1e6-element chunks, no compression) and chunked + gzip. Each file is written
under a temporary name and renamed when complete, so an interrupted run never leaves a
half-written file that a later run would take as ready.

usage: python gen_data.py N OUTDIR [KIND...]   (kinds: contig chunked gzip; default all)
"""

import os
import sys

import h5py
import numpy as np

BLOCK = 10_000_000  # elements generated and written at a time (40 MB of float32)
CHUNK = 1_000_000   # HDF5 chunk length of the chunked files


def paths(n, outdir):
    return {
        "contig": os.path.join(outdir, f"x_contig_n{n}.h5"),
        "chunked": os.path.join(outdir, f"x_chunked_n{n}.h5"),
        "gzip": os.path.join(outdir, f"x_gzip_n{n}.h5"),
    }


def main():
    n = int(float(sys.argv[1]))
    outdir = sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    kinds = sys.argv[3:] or ["contig", "chunked", "gzip"]
    want = {k: p for k, p in paths(n, outdir).items() if k in kinds and not os.path.exists(p)}
    if not want:
        print(f"data: all files for n={n} present in {outdir}")
        return
    chunk = min(CHUNK, n)
    files, dsets = {}, {}
    for kind, p in want.items():
        f = h5py.File(p + ".tmp", "w")
        if kind == "contig":
            d = f.create_dataset("/x", shape=(n,), dtype="f4")
        elif kind == "chunked":
            d = f.create_dataset("/x", shape=(n,), dtype="f4", chunks=(chunk,))
        else:
            d = f.create_dataset("/x", shape=(n,), dtype="f4", chunks=(chunk,), compression="gzip")
        files[kind], dsets[kind] = f, d
    print(f"data: writing n={n} float32 exponential draws to {', '.join(want.values())}", flush=True)
    rng = np.random.default_rng(20261125)
    for start in range(0, n, BLOCK):
        stop = min(n, start + BLOCK)
        block = rng.exponential(size=stop - start).astype("f4")
        for d in dsets.values():
            d[start:stop] = block
    for kind, f in files.items():
        f.close()
        os.replace(want[kind] + ".tmp", want[kind])
    for p in want.values():
        print(f"data: {p} {os.path.getsize(p) / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
