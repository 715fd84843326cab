"""One Dask workload per process, so that the harness sees this process's own peak RSS.

Prints the computed value and a line `compute_seconds=S`: the wall time of the final
expression including .compute() (the file is opened and wrapped by from_array before the
clock starts, as in the matching rask script's `%time` line).

usage: python dask_workloads.py WORKLOAD [H5PATH]
"""

import sys
import time

import dask
import dask.array as da
import h5py
import numpy as np

CHUNKS = (1_000_000,)  # the tutorial's chunks: da.from_array(dset, chunks=(1000000,))


def main():
    workload = sys.argv[1]
    path = sys.argv[2] if len(sys.argv) > 2 else None
    dask.config.set(scheduler="threads")
    if workload == "normal_mean":
        m = int(float(sys.argv[2])) if path else 20000
        t0 = time.perf_counter()
        r = da.random.normal(10, 0.1, size=(m, m), chunks=(1000, 1000)).mean(axis=0)[::100].compute(scheduler="threads")
    else:
        f = h5py.File(path, "r")
        x = da.from_array(f["/x"], chunks=CHUNKS)
        t0 = time.perf_counter()
        if workload == "mean":
            r = x.mean().compute(scheduler="threads")
        elif workload == "sumsq":
            r = (x ** 2 + 1).sum().compute(scheduler="threads")
        elif workload == "std":
            r = x.std().compute(scheduler="threads")
        else:
            sys.exit(f"unknown workload {workload}")
    el = time.perf_counter() - t0
    np.set_printoptions(threshold=20)
    print(r)
    print(f"compute_seconds={el:.6f}")


if __name__ == "__main__":
    main()
