"""Run every benchmark workload in rask and in Dask (threaded scheduler) and print the table.

Each measurement is a separate process, so its peak RSS (ru_maxrss from wait4) is its
own. Times are the best of BENCH_RUNS runs:
  - "compute" time: the `%time` line of the rask script (the final expression with its
    .compute()) against perf_counter around the same expression in Dask; the file is opened
    and wrapped by from_array before the clock starts on both sides;
  - "process" time: the whole process, start to exit (interpreter/import or shell start
    included), reported in a second table.
The page cache holds every input file before it is timed (each file is read in full first).

usage: python harness.py RASK_BINARY   (run.sh calls it; sizes come from BENCH_* env vars)
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
PY = sys.executable


def env_num(name, default):
    return int(float(os.environ.get(name, default)))


N = env_num("BENCH_N", "2e8")
M = env_num("BENCH_M", "20000")
RUNS = env_num("BENCH_RUNS", "3")
STARTUP_RUNS = env_num("BENCH_STARTUP_RUNS", "20")
ONLY = [w for w in os.environ.get("BENCH_ONLY", "").split(",") if w]
GZIP = os.environ.get("BENCH_GZIP", "1") != "0"


def h5(kind):
    return os.path.join(DATA, f"x_{kind}_n{N}.h5")


def run_proc(cmd, stdin_devnull=True):
    """Run cmd once; return dict(wall, rss_mb, rc, out, err)."""
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe:
        t0 = time.perf_counter()
        # Peak RSS through /usr/bin/time: ru_maxrss of a child forked from this Python
        # process starts at this process's own size (Linux keeps the pre-exec high-water
        # mark), which would report every small process as ~77 MB.
        rss_file = tempfile.NamedTemporaryFile(delete=False)
        rss_file.close()
        timed = ["/usr/bin/time", "-f", "%M", "-o", rss_file.name] + list(cmd)
        p = subprocess.Popen(timed, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL)
        _, status, _ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        fo.seek(0)
        fe.seek(0)
        out = fo.read().decode("utf-8", "replace")
        err = fe.read().decode("utf-8", "replace")
        try:
            with open(rss_file.name) as f:
                kb = float(f.read().strip().splitlines()[-1])
        except (OSError, ValueError, IndexError):
            kb = float("nan")
        os.unlink(rss_file.name)
    return {"wall": wall, "rss_mb": kb / 1024.0, "rc": p.returncode, "out": out, "err": err}


def best_of(cmd, runs, compute_time):
    """Run cmd `runs` times; see interleaved()."""
    return interleaved([(cmd, compute_time)], runs)[0]


def interleaved(sides, runs, alternate=False):
    """Run each (cmd, compute_time) side `runs` times, alternating the sides run by run so
    that a change in the machine's load hits both alike (with `alternate`, every other
    round runs the sides in reverse order, so no side always goes first). For each side,
    return the run with the best compute time (or wall time) plus the best wall time and
    the highest peak RSS seen, or the first failing run's record (rc != 0)."""
    recs = [[] for _ in sides]
    failed = [None for _ in sides]
    for run in range(runs):
        order = list(enumerate(sides))
        if alternate and run % 2 == 1:
            order.reverse()
        for i, (cmd, compute_time) in order:
            if failed[i]:
                continue
            r = run_proc(cmd)
            if r["rc"] != 0:
                failed[i] = r
                continue
            r["compute"] = compute_time(r)
            recs[i].append(r)
    out = []
    for i in range(len(sides)):
        if failed[i]:
            out.append(failed[i])
            continue
        best = min(recs[i], key=lambda r: r["compute"] if r["compute"] is not None else r["wall"])
        best["best_wall"] = min(r["wall"] for r in recs[i])
        best["max_rss_mb"] = max(r["rss_mb"] for r in recs[i])
        out.append(best)
    return out


UNITS = {"s": 1.0, "ms": 1e-3, "µs": 1e-6, "us": 1e-6, "ns": 1e-9}


def rask_time(r):
    m = re.search(r"Wall time: ([0-9.]+) (s|ms|µs|us|ns)", r["out"])
    return float(m.group(1)) * UNITS[m.group(2)] if m else None


def dask_time(r):
    m = re.search(r"compute_seconds=([0-9.]+)", r["out"])
    return float(m.group(1)) if m else None


FLOAT = re.compile(r"(?<![A-Za-z_0-9.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def values(out):
    """The numbers a run printed, leaving out its timing line."""
    lines = [l for l in out.splitlines() if not l.startswith(("Wall time", "compute_seconds"))]
    return [float(v) for v in FLOAT.findall(" ".join(lines))]


def warm(path):
    """Read the whole file in 64 MB blocks (puts it in the page cache); return seconds."""
    buf = bytearray(64 << 20)
    mv = memoryview(buf)
    t0 = time.perf_counter()
    with open(path, "rb", buffering=0) as f:
        while f.readinto(mv):
            pass
    return time.perf_counter() - t0


def rask_script(template, **subs):
    with open(os.path.join(HERE, "rask", template)) as f:
        text = f.read()
    for k, v in subs.items():
        text = text.replace(f"@{k}@", str(v))
    os.makedirs(os.path.join(DATA, "scripts"), exist_ok=True)
    name = template.replace(".rask", "") + "".join(f"_{os.path.basename(str(v))}" for v in subs.values()) + ".rask"
    path = os.path.join(DATA, "scripts", name)
    with open(path, "w") as f:
        f.write(text)
    return path


def fmt_s(v):
    if v is None:
        return "—"
    return f"{v * 1e3:.1f} ms" if v < 1 else f"{v:.2f} s"


def main():
    rask = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else None
    rask_missing = None if rask and os.path.exists(rask) else "not measured: rask build failed"

    workloads = [
        # id, description, rask template, template subs, dask args, data file, target text
        ("mean_contig", "HDF5 mean, contiguous", "mean.rask", {"H5": h5("contig")}, ["mean", h5("contig")], h5("contig")),
        ("mean_chunked", "HDF5 mean, chunked 1e6", "mean.rask", {"H5": h5("chunked")}, ["mean", h5("chunked")], h5("chunked")),
        ("mean_gzip", "HDF5 mean, chunked 1e6 + gzip", "mean.rask", {"H5": h5("gzip")}, ["mean", h5("gzip")], h5("gzip")),
        ("sumsq", "HDF5 (x ** 2 + 1).sum(), contiguous", "sumsq.rask", {"H5": h5("contig")}, ["sumsq", h5("contig")], h5("contig")),
        ("std", "HDF5 x.std(), contiguous", "std.rask", {"H5": h5("contig")}, ["std", h5("contig")], h5("contig")),
        ("normal_mean", f"normal({M}x{M}).mean(axis=0)[::100]", "normal_mean.rask", {"M": M}, ["normal_mean", str(M)], None),
    ]
    if not GZIP:
        workloads = [w for w in workloads if w[0] != "mean_gzip"]
    if ONLY:
        workloads = [w for w in workloads if w[0] in ONLY]

    for w in workloads:
        if w[5] and not os.path.exists(w[5]):
            sys.exit(f"bench: missing input {w[5]}: bash bench/run.sh writes it (same BENCH_N)")
    load_before = os.getloadavg()
    rows, floors = [], {}
    for wid, desc, tmpl, subs, dargs, data in workloads:
        if data:
            warm(data)
            if data not in floors:
                cat = best_of(["sh", "-c", f"cat '{data}' > /dev/null"], RUNS, lambda r: None)
                pyread = min(warm(data) for _ in range(RUNS))
                floors[data] = {"cat": cat["best_wall"], "pyread": pyread}
        dcmd = [PY, os.path.join(HERE, "dask_workloads.py")] + dargs
        if rask_missing:
            print(f"bench: {wid}: dask ...", file=sys.stderr, flush=True)
            d = best_of(dcmd, RUNS, dask_time)
            r = {"rc": None, "err": rask_missing}
        else:
            print(f"bench: {wid}: rask and dask, alternating ...", file=sys.stderr, flush=True)
            r, d = interleaved([([rask, "run", rask_script(tmpl, **subs)], rask_time), (dcmd, dask_time)], RUNS)
        rows.append({"id": wid, "desc": desc, "data": data, "rask": r, "dask": d})

    startup = []
    if not ONLY or "startup" in ONLY:
        empty = os.path.join(HERE, "rask", "empty.rask")
        for label, cmd in [("rask run empty.rask", ["run", empty]), ('rask -c ""', ["-c", ""])]:
            if rask_missing:
                startup.append({"label": label, "rec": {"rc": None, "err": rask_missing}})
                continue
            run_proc([rask] + cmd)  # warm the binary into the page cache
            startup.append({"label": label, "rec": best_of([rask] + cmd, STARTUP_RUNS, lambda r: None)})

    load = (load_before, os.getloadavg())
    report(rows, floors, startup, load)


def check(row):
    """Do rask and Dask agree? HDF5 workloads: same scalar within 1e-3 relative.
    normal_mean: different generators, so every printed value within 0.01 of 10."""
    r, d = row["rask"], row["dask"]
    if r.get("rc") != 0 or d.get("rc") != 0:
        return "—"
    rv, dv = values(r["out"]), values(d["out"])
    if row["id"] == "normal_mean":
        ok = rv and all(abs(v - 10) < 0.01 for v in rv)
        return "ok" if ok else f"MISMATCH rask printed {r['out'].strip()[:80]!r}"
    if not rv or not dv:
        return f"MISMATCH rask {r['out'].strip()[:60]!r}"
    ok = abs(rv[0] - dv[0]) <= 1e-3 * max(abs(dv[0]), 1e-12)
    return "ok" if ok else f"MISMATCH rask {rv[0]} dask {dv[0]}"


def failure(rec):
    if rec.get("rc") is None:
        return rec["err"]
    lines = [l for l in rec["err"].strip().splitlines() if l.strip()]
    return f"failed (exit {rec['rc']}): {lines[-1][:100] if lines else 'no message'}"


def report(rows, floors, startup, load):
    md = []
    md.append(f"n = {N:.3g} float32 elements ({N * 4 / 1e6:.0f} MB per file), normal side {M}, best of {RUNS} runs, startup best of {STARTUP_RUNS}")
    md.append(f"{os.cpu_count()} cores; 1-minute load average {load[0][0]:.2f} before the runs, {load[1][0]:.2f} after "
              "(other work on the machine makes times noisier)")
    md.append("")
    md.append("| workload | rask | dask (threads) | dask / rask | target | rask peak RSS | dask peak RSS | rask vs dask result |")
    md.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
    out_json = {"n": N, "m": M, "runs": RUNS, "loadavg": load, "rows": [], "floors": floors, "startup": []}
    for row in rows:
        r, d = row["rask"], row["dask"]
        dt = d.get("compute") if d.get("rc") == 0 else None
        rt = None
        if r.get("rc") == 0:
            rt = r.get("compute") if r.get("compute") is not None else r["best_wall"]
        ratio = f"{dt / rt:.2f}×" if dt and rt else "—"
        target = "≥ 2×"
        if dt and rt:
            target += " ✓" if dt / rt >= 2 else " ✗"
        rmb = f"{r['max_rss_mb']:.0f} MB" if r.get("rc") == 0 else "—"
        dmb = f"{d['max_rss_mb']:.0f} MB" if d.get("rc") == 0 else "—"
        if row["id"] == "normal_mean":
            target += "; RSS < 150 MB" + ((" ✓" if r["max_rss_mb"] < 150 else " ✗") if r.get("rc") == 0 else "")
        rcell = fmt_s(rt) if rt is not None else failure(r)
        dcell = fmt_s(dt) if dt is not None else failure(d)
        md.append(f"| {row['desc']} | {rcell} | {dcell} | {ratio} | {target} | {rmb} | {dmb} | {check(row)} |")
        out_json["rows"].append({"id": row["id"], "rask_s": rt, "dask_s": dt,
                                 "rask_wall_s": r.get("best_wall"), "dask_wall_s": d.get("best_wall"),
                                 "rask_rss_mb": r.get("max_rss_mb"), "dask_rss_mb": d.get("max_rss_mb"),
                                 "rask_error": None if r.get("rc") == 0 else failure(r),
                                 "dask_error": None if d.get("rc") == 0 else failure(d),
                                 "rask_out": r.get("out"), "dask_out": d.get("out")})
    for s in startup:
        rec = s["rec"]
        ok = rec.get("rc") == 0
        cell = fmt_s(rec["best_wall"]) if ok else failure(rec)
        mark = (" ✓" if rec["best_wall"] < 0.05 else " ✗") if ok else ""
        rss = f"{rec['max_rss_mb']:.0f} MB" if ok else "—"
        md.append(f"| start-up: {s['label']} | {cell} | — | — | < 50 ms{mark} | {rss} | — | — |")
        out_json["startup"].append({"label": s["label"], "wall_s": rec.get("best_wall") if ok else None,
                                    "rss_mb": rec.get("max_rss_mb") if ok else None,
                                    "error": None if ok else failure(rec)})

    if floors:
        md.append("")
        md.append("Byte-read floor (file already in the page cache): `cat FILE > /dev/null` as a process, and a Python")
        md.append("read of the file in 64 MB blocks; target: rask's HDF5 mean ≤ 1.5× the cat time.")
        md.append("")
        md.append("| file | size | cat | python 64 MB reads | rask mean | rask mean / cat | target |")
        md.append("| --- | --- | --- | --- | --- | --- | --- |")
        means = {row["data"]: row for row in rows if row["id"].startswith("mean_")}
        for path, fl in floors.items():
            row = means.get(path)
            rt = None
            if row and row["rask"].get("rc") == 0:
                rt = row["rask"].get("compute") or row["rask"]["best_wall"]
            rcell = fmt_s(rt) if rt is not None else ("—" if not row else failure(row["rask"]))
            ratio = f"{rt / fl['cat']:.2f}×" if rt is not None else "—"
            mark = (" ✓" if rt / fl["cat"] <= 1.5 else " ✗") if rt is not None else ""
            md.append(f"| {os.path.basename(path)} | {os.path.getsize(path) / 1e6:.0f} MB | {fmt_s(fl['cat'])} | {fmt_s(fl['pyread'])} | {rcell} | {ratio} | ≤ 1.5×{mark} |")

    md.append("")
    md.append("Whole-process wall time (best of the runs; Python start and `import dask` included on the Dask side):")
    md.append("")
    md.append("| workload | rask process | dask process | dask / rask |")
    md.append("| --- | --- | --- | --- |")
    for row in rows:
        rw = row["rask"].get("best_wall") if row["rask"].get("rc") == 0 else None
        dw = row["dask"].get("best_wall") if row["dask"].get("rc") == 0 else None
        ratio = f"{dw / rw:.2f}×" if rw and dw else "—"
        md.append(f"| {row['desc']} | {fmt_s(rw) if rw else '—'} | {fmt_s(dw) if dw else '—'} | {ratio} |")

    text = "\n".join(md) + "\n"
    print()
    print(text)
    os.makedirs(DATA, exist_ok=True)
    with open(os.path.join(DATA, f"results_n{N}.md"), "w") as f:
        f.write(text)
    with open(os.path.join(DATA, f"results_n{N}.json"), "w") as f:
        json.dump(out_json, f, indent=1)
    print(f"(also written to bench/data/results_n{N}.md and .json)")


if __name__ == "__main__":
    main()
