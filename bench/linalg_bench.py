"""The workloads of bench/linalg.sh, in rask and in Dask, and the table of results.

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
        r, d = interleaved([([rask, "run", rs], rask_time), ([PY, ds], dask_time)], RUNS)
        rows.append((desc, r, d))
    load1 = os.getloadavg()
    md = [f"{os.cpu_count()} cores; 1-minute load average {load0[0]:.2f} before, {load1[0]:.2f} after; best of {RUNS}",
          "",
          "| workload | rask | dask + numpy | dask / rask | target | rask peak RSS | dask peak RSS | check (rask / dask) |",
          "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for desc, r, d in rows:
        rt = r.get("compute") if r.get("rc") == 0 else None
        dt = d.get("compute") if d.get("rc") == 0 else None
        ratio = f"{dt / rt:.2f}×" if rt and dt else "—"
        mark = (" ✓" if dt / rt >= 1 else " ✗") if rt and dt else ""
        rmb = f"{r['max_rss_mb']:.0f} MB" if rt else "—"
        dmb = f"{d['max_rss_mb']:.0f} MB" if dt else "—"
        rv = values(r["out"]) if rt else r.get("err", "").strip()[-80:]
        dv = values(d["out"]) if dt else d.get("err", "").strip()[-80:]
        md.append(f"| {desc} | {fmt_s(rt)} | {fmt_s(dt)} | {ratio} | ≥ 1×{mark} | {rmb} | {dmb} | {rv} / {dv} |")
    text = "\n".join(md) + "\n"
    print()
    print(text)
    with open(os.path.join(DATA, f"linalg_{ROWS}_{COLS}_{N}.md"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
