"""The workloads of bench/zarr.sh, in rask and in Dask, and the table of results.

usage: python zarr_bench.py RASK_BINARY   (sizes from ZARR_* environment variables)
Reuses bench/harness.py's process runner (peak RSS via /usr/bin/time) and time parsers.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DATA, PY, dask_time, fmt_s, interleaved, rask_time, values, warm  # noqa: E402


def env_int(name, default):
    return int(float(os.environ.get(name, default)))


N = env_int("ZARR_N", "2e8")
CHUNK = env_int("ZARR_CHUNK", "1e7")
RUNS = env_int("ZARR_RUNS", "3")
ONLY = [w for w in os.environ.get("ZARR_ONLY", "").split(",") if w]

# id, description, zarr-python arguments (after shape, chunks, dtype)
STORES = [
    ("v3_zstd", "v3, zstd (zarr-python's default)", "zarr_format=3"),
    ("v2_blosc", "v2, Blosc lz4 + shuffle (numcodecs' default)",
     "zarr_format=2, compressors=numcodecs.Blosc()"),
]


def store(sid, args):
    """Write the store once with zarr-python: N normal draws (seeded), CHUNK a chunk."""
    path = os.path.join(DATA, f"zarr_{sid}_n{N}_c{CHUNK}.zarr")
    if os.path.exists(os.path.join(path, "done")):
        return path
    code = f"""
import numpy as np, numcodecs, zarr
z = zarr.create_array({path!r}, shape=({N},), chunks=({CHUNK},), dtype='float64', {args}, overwrite=True)
rng = np.random.default_rng(0)
for s in range(0, {N}, {CHUNK}):
    n = min({CHUNK}, {N} - s)
    z[s:s + n] = rng.standard_normal(n)
open({path!r} + '/done', 'w').close()
"""
    import subprocess
    print(f"zarr: writing {path} with zarr-python", flush=True)
    subprocess.run([PY, "-c", code], check=True)
    return path


def warm_dir(path):
    for d, _, files in os.walk(path):
        for f in files:
            warm(os.path.join(d, f))


def main():
    rask = sys.argv[1]
    os.makedirs(os.path.join(DATA, "scripts"), exist_ok=True)
    rows = []
    for sid, desc, args in STORES:
        if ONLY and sid not in ONLY:
            continue
        path = store(sid, args)
        warm_dir(path)
        rs = os.path.join(DATA, "scripts", f"zarr_{sid}.rask")
        with open(rs, "w") as f:
            f.write(f"x = da.from_zarr({path!r})\n%time m = x.mean().compute()\nprint(m)\n")
        ds = os.path.join(DATA, "scripts", f"zarr_{sid}.py")
        with open(ds, "w") as f:
            f.write(
                "import time, dask, dask.array as da\n"
                "dask.config.set(scheduler='threads')\n"
                f"x = da.from_zarr({path!r})\n"
                "t0 = time.perf_counter()\nm = x.mean().compute()\n"
                "t = time.perf_counter() - t0\nprint(float(m))\n"
                "print(f'compute_seconds={t:.6f}')\n"
            )
        r, d = interleaved([([rask, "run", rs], rask_time), ([PY, ds], dask_time)], RUNS)
        for side, rec in (("rask", r), ("dask", d)):
            if rec["rc"] != 0:
                print(f"zarr: {sid} {side} failed:\n{rec['err'][-2000:]}", file=sys.stderr)
        vr, vd = values(r["out"]), values(d["out"])
        same = bool(vr and vd and abs(vr[0] - vd[0]) <= 1e-9 * max(1.0, abs(vd[0])))
        rows.append((sid, desc, r, d, same))
    print()
    print(f"Zarr mean of {N:.0e} float64 in chunks of {CHUNK:.0e} ({N // CHUNK} chunks), best of {RUNS}")
    print()
    print("| store | rask | Dask | Dask / rask | rask peak RSS | Dask peak RSS | same mean |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for sid, desc, r, d, same in rows:
        rt, dt = r.get("compute"), d.get("compute")
        ratio = f"{dt / rt:.2f}x" if rt and dt else "—"
        print(f"| {desc} | {fmt_s(rt)} | {fmt_s(dt)} | {ratio} | {r.get('max_rss_mb', float('nan')):.0f} MB | "
              f"{d.get('max_rss_mb', float('nan')):.0f} MB | {'yes' if same else 'NO'} |")


if __name__ == "__main__":
    main()
