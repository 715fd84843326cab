"""The workloads of bench/linalg.sh, in rask, in Dask (twice: OpenBLAS with its default
threads, and with one BLAS thread a worker as Dask's docs advise) and in NumPy on one
in-memory array (OpenBLAS with every core), and the table of results.

usage: python linalg_bench.py RASK_BINARY   (sizes from LINALG_* environment variables)
Reuses bench/harness.py's process runner (peak RSS via /usr/bin/time) and time parsers.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DATA, PY, dask_time, fmt_s, interleaved, rask_time, values  # noqa: E402


def env_int(name, default):
    return int(float(os.environ.get(name, default)))


ROWS = env_int("LINALG_ROWS", "200000")
COLS = env_int("LINALG_COLS", "1000")
N = env_int("LINALG_N", "4000")
RUNS = env_int("LINALG_RUNS", "1")
ONLY = [w for w in os.environ.get("LINALG_ONLY", "").split(",") if w]
RCH = max(ROWS // 10, 1)
BLK = max(N // 4, 1)

# The tall input and the SPD matrix, built inside the timed graph on both sides (each
# side with its own generator: results are compared through quantities that do not
# depend on the draws, e.g. sum(Q**2) = columns).
TALL = {
    "rask": f"x = da.random.normal(size=({ROWS}, {COLS}), chunks=({RCH}, {COLS}), seed=0)",
    "dask": f"x = da.random.normal(size=({ROWS}, {COLS}), chunks=({RCH}, {COLS}))",
}
SPD = {
    "rask": f"g = da.random.random(({N}, {N}), chunks={BLK}, seed=1)\n"
            f"a = (g + g.T) / 2 + {N} * da.eye({N}, chunks={BLK})\n"
            f"b = da.random.random({N}, chunks={BLK}, seed=2)",
    "dask": f"g = da.random.random(({N}, {N}), chunks={BLK})\n"
            f"a = (g + g.T) / 2 + {N} * da.eye({N}, chunks={BLK})\n"
            f"b = da.random.random({N}, chunks={BLK})",
}

# NumPy: the same shapes in memory, made before the clock starts (NumPy has no lazy graph)
NP_TALL = f"x = np.random.default_rng(0).standard_normal(({ROWS}, {COLS}))"
NP_SPD = (f"g = np.random.default_rng(1).random(({N}, {N}))\n"
          f"a = (g + g.T) / 2 + {N} * np.eye({N})\n"
          f"b = np.random.default_rng(2).random({N})")
NUMPY = {
    "xtx": (NP_TALL, "r = x.T @ x", f"print(round(r[0, 0] / {ROWS}, 1))"),
    "qr": (NP_TALL, "q, r = np.linalg.qr(x); qs = (q ** 2).sum()", "print(round(float(qs)))"),
    "svd": (NP_TALL, "u, s, v = np.linalg.svd(x, full_matrices=False); us = (u ** 2).sum()",
            "print(round(float(us)))"),
    "cholesky": (NP_SPD, "f = np.linalg.cholesky(a)", "print(f.shape)"),
    "solve": (NP_SPD, "s = np.linalg.solve(a, b)", "print(s.shape)"),
}
# the goals (Dask with one BLAS thread a worker ÷ rask)
TARGET = {"xtx": 1.5, "qr": 2.0, "svd": 2.0, "cholesky": 1.0, "solve": 1.0}

# id, description, setup, rask timed statement + check print, dask timed statement + check print
WORKLOADS = [
    ("xtx", f"x.T @ x, x {ROWS}x{COLS} in ({RCH}, {COLS})", TALL,
     "r = (x.T @ x).compute()", "r = (x.T @ x).compute()",
     f"print(round(r[0, 0] / {ROWS}, 1))"),
    ("qr", f"qr(x), x {ROWS}x{COLS}: sum(Q**2) and R", TALL,
     "q, r = da.linalg.qr(x)\nqs, rr = compute((q ** 2).sum(), r)",
     "q, r = da.linalg.qr(x)\nqs, rr = dask.compute((q ** 2).sum(), r)",
     "print(round(float(qs)))"),
    ("svd", f"svd(x), x {ROWS}x{COLS}: sum(U**2), s, V", TALL,
     "u, s, v = da.linalg.svd(x)\nus, ss, vv = compute((u ** 2).sum(), s, v)",
     "u, s, v = da.linalg.svd(x)\nus, ss, vv = dask.compute((u ** 2).sum(), s, v)",
     "print(round(float(us)))"),
    ("cholesky", f"cholesky(a), a {N}x{N} in ({BLK}, {BLK})", SPD,
     "f = da.linalg.cholesky(a).compute()", "f = da.linalg.cholesky(a).compute()",
     "print(f.shape)"),
    ("solve", f"solve(a, b), a {N}x{N} in ({BLK}, {BLK})", SPD,
     "s = da.linalg.solve(a, b).compute()", "s = da.linalg.solve(a, b).compute()",
     "print(s.shape)"),
]


def rask_script(wid, setup, stmt, check):
    lines = setup.splitlines()
    *pre, last = stmt.splitlines()
    lines += pre + [f"%time {last}", check]
    path = os.path.join(DATA, "scripts", f"linalg_{wid}_{ROWS}_{COLS}_{N}.rask")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def dask_script(wid, setup, stmt, check):
    *pre, last = stmt.splitlines()
    body = ["import time, dask, dask.array as da, numpy as np"] + setup.splitlines() + pre
    body += ["t0 = time.perf_counter()", last, "t = time.perf_counter() - t0", check,
             "print(f'compute_seconds={t:.6f}')"]
    path = os.path.join(DATA, "scripts", f"linalg_{wid}_{ROWS}_{COLS}_{N}.py")
    with open(path, "w") as f:
        f.write("\n".join(body) + "\n")
    return path


def numpy_script(wid):
    setup, stmt, check = NUMPY[wid]
    body = ["import time, numpy as np"] + setup.splitlines()
    body += ["t0 = time.perf_counter()", stmt, "t = time.perf_counter() - t0", check,
             "print(f'compute_seconds={t:.6f}')"]
    path = os.path.join(DATA, "scripts", f"linalg_{wid}_{ROWS}_{COLS}_{N}_numpy.py")
    with open(path, "w") as f:
        f.write("\n".join(body) + "\n")
    return path


def ratio(peer, rask):
    return f"{peer / rask:.2f}×" if rask and peer else "—"


def main():
    rask = sys.argv[1]
    rows = []
    load0 = os.getloadavg()
    for wid, desc, setup, rstmt, dstmt, check in WORKLOADS:
        if ONLY and wid not in ONLY:
            continue
        print(f"linalg: {wid}: rask and dask, alternating ...", file=sys.stderr, flush=True)
        rs = rask_script(wid, setup["rask"], rstmt, check)
        ds = dask_script(wid, setup["dask"], dstmt, check)
        ns = numpy_script(wid)
        one = ["env", "OPENBLAS_NUM_THREADS=1", "OMP_NUM_THREADS=1", "MKL_NUM_THREADS=1", PY, ds]
        r, d, d1, n = interleaved([([rask, "run", rs], rask_time), ([PY, ds], dask_time),
                                   (one, dask_time), ([PY, ns], dask_time)], RUNS)
        rows.append((wid, desc, r, d, d1, n))
    load1 = os.getloadavg()
    md = [f"{os.cpu_count()} cores; 1-minute load average {load0[0]:.2f} before, {load1[0]:.2f} after; best of {RUNS}, sides alternated",
          "",
          "| workload | rask | Dask | Dask, 1 BLAS thread | NumPy | Dask / rask | Dask 1-thread / rask | NumPy / rask | target | peak RSS rask / Dask / NumPy | check (rask / dask / numpy) |",
          "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]

    def t(x):
        return x.get("compute") if x.get("rc") == 0 else None

    def mb(x):
        return f"{x['max_rss_mb']:.0f}" if t(x) else "—"

    def vals(x):
        return values(x["out"]) if t(x) else x.get("err", "").strip()[-80:]

    for wid, desc, r, d, d1, n in rows:
        rt, dt, d1t, nt = t(r), t(d), t(d1), t(n)
        goal = TARGET[wid]
        mark = (" ✓" if d1t / rt >= goal else " ✗") if rt and d1t else ""
        md.append(f"| {desc} | {fmt_s(rt)} | {fmt_s(dt)} | {fmt_s(d1t)} | {fmt_s(nt)} | {ratio(dt, rt)} | "
                  f"{ratio(d1t, rt)} | {ratio(nt, rt)} | ≥ {goal}×{mark} | {mb(r)} / {mb(d)} / {mb(n)} MB | "
                  f"{vals(r)} / {vals(d)} / {vals(n)} |")
    text = "\n".join(md) + "\n"
    print()
    print(text)
    with open(os.path.join(DATA, f"linalg_{ROWS}_{COLS}_{N}.md"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
