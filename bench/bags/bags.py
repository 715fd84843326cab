"""Run the bag workloads (issue 3) in rask, Dask (processes and threads) and, for issue 16,
Polars and DuckDB (bag_peers.py) on one set of gzipped JSON-lines accounts files and print
the table: each side's in-process time, the ratio peer / rask, peak RSS (through
/usr/bin/time, one process per workload and run) and whether every side printed the same
check values. The sides alternate run by run, every other round in reverse order, so that a
change in the machine's load hits all alike. Shares the process runner of bench/harness.py.

In every process the workload runs REPEAT times (BAGS_REPEAT, default 2): the table's time
is the best call after the first (the warm call, as bags.sh's earlier in-process best-of-N
measured), the second table the first call and the whole process.

usage: python bags.py RASK_BINARY GLOB LABEL   (bags.sh calls it)
Environment: BAGS_RUNS (processes per side, best of; default 3), BAGS_REPEAT (2),
BAGS_PEERS=0 (rask and Dask only), BAGS_ONLY=id,id (frequencies foldby-count foldby-total
alice-take).
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
sys.path.insert(0, BENCH)
from harness import dask_time, fmt_s, interleaved  # noqa: E402
from harness import values as harness_values  # noqa: E402

RUNS = int(os.environ.get("BAGS_RUNS", "3"))
REPEAT = max(int(os.environ.get("BAGS_REPEAT", "2")), 1)
ONLY = [w for w in os.environ.get("BAGS_ONLY", "").split(",") if w]
PEERS = ["polars", "duckdb"] if os.environ.get("BAGS_PEERS", "1") != "0" else []

# rask's side: the expressions of bags.sh's earlier script; digest() prints the same check
# values as bag_peers.py (names, sum of values, sum((i + 1) * value) in name order)
SETUP = """import json
js = db.read_text("@GLOB@").map(json.loads)
def incr(tot, _): return tot + 1
def total(tot, r): return tot + sum(t["amount"] for t in r["transactions"])
def digest(r): return [len(r), sum(v for _, v in r), sum((i + 1) * p[1] for i, p in enumerate(sorted(r)))]
"""

WORKLOADS = [
    # id, description, rask's timed line, rask's check line
    ("frequencies", "name frequencies",
     '%time r = js.pluck("name").frequencies().compute()', "print(*digest(r))"),
    ("foldby-count", "foldby count per name",
     '%time r = js.foldby("name", incr, 0, lambda a, b: a + b, 0).compute()', "print(*digest(r))"),
    ("foldby-total", "foldby total amount per name",
     '%time r = js.foldby("name", total, 0, lambda a, b: a + b, 0).compute()', "print(*digest(r))"),
    ("alice-take", "Alice filter–map–take",
     '%time r = js.filter(lambda r: r["name"] == "Alice").map(lambda d: len(d["transactions"])).take(5, warn=False)',
     "print(*r)"),
]

UNITS = {"s": 1.0, "ms": 1e-3, "µs": 1e-6, "us": 1e-6, "ns": 1e-9}


def rask_times(r):
    return [float(m.group(1)) * UNITS[m.group(2)]
            for m in re.finditer(r"Wall time: ([0-9.]+) (s|ms|µs|us|ns)", r["out"])]


def rask_time(r):
    t = rask_times(r)
    if not t:
        return None
    r["first"] = t[0]
    return min(t[1:] or t)


def peer_time(r):
    m = re.search(r"first_seconds=([0-9.]+)", r["out"])
    r["first"] = float(m.group(1)) if m else None
    return dask_time(r)


def values(out):
    """The check values a run printed (harness.values without the timing lines)."""
    return harness_values("\n".join(l for l in out.splitlines() if not l.startswith("first_seconds")))


def failure(rec):
    if rec.get("rc") is None:
        return rec["err"]
    lines = [l.strip() for l in rec["err"].splitlines() if l.strip()]
    first = next((l for l in lines if "Error" in l), lines[-1] if lines else "no message")
    return f"failed (exit {rec['rc']}): {first[:120]}".replace("|", "\\|")


def main():
    rask, glob, label = sys.argv[1], sys.argv[2], sys.argv[3]
    scripts = os.path.join(BENCH, "data", "scripts")
    os.makedirs(scripts, exist_ok=True)
    names = ["rask", "dask-processes", "dask-threads"] + PEERS
    heads = ["rask", "Dask (processes)", "Dask (threads)"] + [{"polars": "Polars", "duckdb": "DuckDB"}[p] for p in PEERS]
    rows = []
    load_before = os.getloadavg()
    for wid, desc, timed, check in WORKLOADS:
        if ONLY and wid not in ONLY:
            continue
        path = os.path.join(scripts, f"bags_{label}_{wid}.rask")
        with open(path, "w") as f:
            f.write(SETUP.replace("@GLOB@", glob) + (timed + "\n") * REPEAT + check + "\n")
        sides = [([rask, "run", path], rask_time)]
        for tool in names[1:]:
            sides.append(([sys.executable, os.path.join(HERE, "bag_peers.py"), tool, wid, glob, str(REPEAT)],
                          peer_time))
        print(f"bags: {label}: {wid}: {', '.join(names)}, alternating ...", file=sys.stderr, flush=True)
        recs = interleaved(sides, RUNS, alternate=True)
        rows.append({"id": wid, "desc": desc, "recs": dict(zip(names, recs))})
    load_after = os.getloadavg()

    ratio_heads = ["best Dask / rask"] + [f"{h} / rask" for h in heads[3:]]
    md = [f"{label}: {glob}, best of {RUNS} processes a side, {REPEAT} calls a process (the time is the "
          f"best call after the first), sides alternated; {os.cpu_count()} cores, 1-minute load "
          f"{load_before[0]:.2f} before, {load_after[0]:.2f} after; ratio = peer / rask (above 1: rask is faster)", "",
          "| workload | " + " | ".join(heads) + " | " + " | ".join(ratio_heads)
          + " | peak RSS MB " + " / ".join(heads) + " | results |",
          "|" + " --- |" * (3 + len(heads) + len(ratio_heads))]
    md2 = ["", "First call in the process, and the whole process (start to exit, best of the runs):", "",
           "| workload | first call " + " / ".join(heads) + " | whole process " + " / ".join(heads) + " |",
           "| --- | --- | --- |"]
    out = {"label": label, "glob": glob, "runs": RUNS, "repeat": REPEAT,
           "loadavg": [load_before, load_after], "rows": []}
    for row in rows:
        recs = [row["recs"][n] for n in names]
        ok = [r.get("rc") == 0 and r.get("compute") is not None for r in recs]
        t = [r["compute"] if o else None for r, o in zip(recs, ok)]
        cells = [fmt_s(x) if x is not None else failure(r) for x, r in zip(t, recs)]
        dask = [x for x in t[1:3] if x is not None]
        best_dask = min(dask) if dask else None
        ratios = [best_dask] + t[3:]
        rcells = [f"{x / t[0]:.2f}×" if x and t[0] else "—" for x in ratios]
        rss = " / ".join(f"{r['max_rss_mb']:.0f}" if o else "—" for r, o in zip(recs, ok))
        vals = [values(r["out"]) if o else None for r, o in zip(recs, ok)]
        same = all(v is not None and v == vals[0] for v in vals)
        shown = " ".join(f"{v:.0f}" for v in vals[0]) if vals[0] else ""
        result = f"same ({shown})" if same else "DIFFER " + "; ".join(
            f"{n} {' '.join(f'{x:.0f}' for x in v) if v else '—'}" for n, v in zip(names, vals))
        md.append(f"| {row['desc']} | " + " | ".join(cells) + " | " + " | ".join(rcells)
                  + f" | {rss} | {result} |")
        first = " / ".join(fmt_s(r.get("first")) if o else "—" for r, o in zip(recs, ok))
        whole = " / ".join(fmt_s(r.get("best_wall")) if o else "—" for r, o in zip(recs, ok))
        md2.append(f"| {row['desc']} | {first} | {whole} |")
        out["rows"].append({"id": row["id"], "sides": {
            n: {"s": x, "first_s": r.get("first") if o else None, "wall_s": r.get("best_wall") if o else None,
                "rss_mb": r.get("max_rss_mb") if o else None, "out": r.get("out"),
                "error": None if o else failure(r)}
            for n, r, x, o in zip(names, recs, t, ok)}, "same": same})
    text = "\n".join(md + md2) + "\n"
    print()
    print(text)
    res = os.path.join(BENCH, "data", f"bags_{label}")
    with open(res + ".md", "w") as f:
        f.write(text)
    with open(res + ".json", "w") as f:
        json.dump(out, f, indent=1)
    print(f"(also written to bench/data/bags_{label}.md and .json)")


if __name__ == "__main__":
    main()
