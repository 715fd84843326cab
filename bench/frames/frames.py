"""Run the data-frame workloads in rask and in Dask (threaded scheduler) on one directory of
NFS CSVs and print the table: best-of-N compute time of each side, the ratio, each side's
peak RSS (one process per workload and run, through /usr/bin/time) and whether the printed
results agree. Runs alternate between rask and Dask so that a change in the machine's load
hits both alike. Shares the process runner of bench/harness.py.

The CSV group-by workloads (groupby_size, value_counts) and set_index_minfd (a full sort
by minfd there) also run in Polars and DuckDB (csv_peers.py, issue 16): a second table
gives each peer's in-process and whole-process time, the ratio peer / rask for each, peak
RSS, and whether all four printed the same numbers; the four sides alternate run by run,
every other round in reverse order.

usage: python frames.py RASK_BINARY DATA_DIR LABEL   (frames.sh calls it)
Environment: FRAMES_RUNS (best of, default 3), FRAMES_ONLY=id,id (a subset of the workloads),
FRAMES_PEERS=0 (Dask only).
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
sys.path.insert(0, BENCH)
from harness import dask_time, fmt_s, interleaved, rask_time, values  # noqa: E402

RUNS = int(os.environ.get("FRAMES_RUNS", "3"))
ONLY = [w for w in os.environ.get("FRAMES_ONLY", "").split(",") if w]
PEERS = ["polars", "duckdb"] if os.environ.get("FRAMES_PEERS", "1") != "0" else []
# the workloads Polars and DuckDB also run (csv_peers.py; set_index_minfd as a full sort
# by minfd, materialised, and its row count)
PEER_WORKLOADS = {"groupby_size", "value_counts", "set_index_minfd"}

# rask's side in the contract's syntax (../shared/spec/language.md, `dd`): the same
# expressions as dask_frames.py. `def` bodies are one expression.
SETUP = """df = dd.read_csv("@DATA@/NFS_*.csv")
food_mapping = pd.read_csv("@DATA@/food_mapping.csv")
divisions = list(range(1974, 2001)) + [2000]
def most_frequent_food(p): return (int(p.index[0]), list(food_mapping[food_mapping.minfd == p.groupby("minfd").size().idxmax()].minfddesc)[0])
def per_capita(p): return p.groupby("minfd").cq.sum() / (p.drop_duplicates("hhno").memhh.sum() * 7)
"""

WORKLOADS = [
    # id, description, rask lines (timed line first)
    ("groupby_size", "read + groupby('minfd').size()",
     '%time r = df.groupby("minfd").size().compute()\nprint(len(r), sum(list(r)))'),
    ("value_counts", "read + minfd.value_counts()",
     "%time r = df.minfd.value_counts().compute()\nprint(len(r), max(list(r)))"),
    ("set_index_count", "read + set_index('styr', 28 divisions) + count per partition",
     '%time r = df.set_index("styr", divisions=divisions).map_partitions(len).compute()\nprint(len(r), sum(list(r)))'),
    ("set_index_minfd", "read + set_index('minfd'), divisions from quantiles + count per partition",
     '%time r = df.set_index("minfd").map_partitions(len).compute()\nprint(sum(list(r)))'),
    ("most_frequent", "read + set_index + map_partitions(most_frequent_food)",
     '%time r = df.set_index("styr", divisions=divisions).map_partitions(most_frequent_food).compute()\nprint(len(r))'),
    ("per_capita", "read + set_index + map_partitions(per_capita)",
     '%time r = df.set_index("styr", divisions=divisions).map_partitions(per_capita).compute()\nprint(len(r), round(sum(list(r)), 6))'),
]


def failure(rec):
    """A table cell for a failed side: its first error line (rask prints the line and a
    caret after it), without the table's `|`."""
    if rec.get("rc") is None:
        return rec["err"]
    lines = [l.strip() for l in rec["err"].splitlines() if l.strip()]
    first = next((l for l in lines if "Error" in l), lines[0] if lines else "no message")
    return f"failed (exit {rec['rc']}): {first[:120]}".replace("|", "\\|")


def agree(wid, r, d):
    if r.get("rc") != 0 or d.get("rc") != 0:
        return "—"
    rv, dv = values(r["out"]), values(d["out"])
    if wid == "most_frequent":
        dv = dv[:1]  # Dask prints the sum of the years too
    ok = len(rv) == len(dv) and all(abs(a - b) <= 1e-6 * max(abs(b), 1.0) for a, b in zip(rv, dv))
    return "ok" if ok else f"MISMATCH rask {rv} dask {dv}"


def peer_table(rows):
    """The CSV group-bys against every peer: in-process (compute) time, the ratio
    peer / rask, whole-process wall time and peak RSS of each side, same numbers or not."""
    rows = [r for r in rows if r["peers"]]
    if not rows:
        return []
    others = list(rows[0]["peers"])
    names = ["rask", "dask"] + others
    peers = names[1:]
    md = ["", "In process (compute only) and whole processes (start to exit), best of "
          f"{RUNS}; ratio = peer / rask (above 1: rask is faster):", "",
          "| workload | " + " | ".join(names) + " | " + " | ".join(f"{p} / rask" for p in peers)
          + " | process " + " / ".join(names) + " | process " + " / ".join(f"{p}/rask" for p in peers)
          + " | peak RSS MB " + " / ".join(names) + " | results |",
          "|" + " --- |" * (5 + len(names) + len(peers))]
    for row in rows:
        recs = [row["rask"], row["dask"]] + [row["peers"][p] for p in others]
        ok = [r.get("rc") == 0 for r in recs]
        t = [r.get("compute") if o else None for r, o in zip(recs, ok)]
        w = [r.get("best_wall") if o else None for r, o in zip(recs, ok)]
        cells = [fmt_s(x) if x is not None else failure(r) for x, r in zip(t, recs)]
        ratio = [f"{x / t[0]:.2f}×" if x and t[0] else "—" for x in t[1:]]
        wcells = " / ".join(fmt_s(x) for x in w)
        wratio = " / ".join(f"{x / w[0]:.2f}×" if x and w[0] else "—" for x in w[1:])
        rss = " / ".join(f"{r['max_rss_mb']:.0f}" if o else "—" for r, o in zip(recs, ok))
        vals = [values(r["out"]) if o else None for r, o in zip(recs, ok)]
        same = all(v is not None and v == vals[0] for v in vals)
        md.append(f"| {row['desc']} | " + " | ".join(cells) + " | " + " | ".join(ratio) +
                  f" | {wcells} | {wratio} | {rss} | " + ("same" if same else f"DIFFER {vals}") + " |")
    return md


def main():
    rask, data, label = sys.argv[1], sys.argv[2], sys.argv[3]
    scripts = os.path.join(BENCH, "data", "scripts")
    os.makedirs(scripts, exist_ok=True)
    rows = []
    load_before = os.getloadavg()
    for wid, desc, lines in WORKLOADS:
        if ONLY and wid not in ONLY:
            continue
        path = os.path.join(scripts, f"frames_{label}_{wid}.rask")
        with open(path, "w") as f:
            f.write(SETUP.replace("@DATA@", data) + lines + "\n")
        dcmd = [sys.executable, os.path.join(HERE, "dask_frames.py"), wid, data]
        sides = [(dcmd, dask_time)]
        peers = PEERS if wid in PEER_WORKLOADS else []
        for p in peers:
            sides.append(([sys.executable, os.path.join(HERE, "csv_peers.py"), p, wid, data],
                          dask_time))
        if rask:
            sides.insert(0, ([rask, "run", path], rask_time))
        print(f"frames: {label}: {wid} ...", file=sys.stderr, flush=True)
        recs = interleaved(sides, RUNS, alternate=bool(peers))
        r = recs[0] if rask else {"rc": None, "err": "not measured: no rask binary"}
        at = 1 if rask else 0
        rows.append({"id": wid, "desc": desc, "rask": r, "dask": recs[at],
                     "peers": dict(zip(peers, recs[at + 1:]))})
    load_after = os.getloadavg()

    md = [f"{label}: {data}, best of {RUNS} runs, {os.cpu_count()} cores, "
          f"1-minute load {load_before[0]:.2f} before, {load_after[0]:.2f} after", "",
          "| workload | rask | dask (threads) | dask / rask | rask peak RSS | dask peak RSS | results |",
          "| --- | --- | --- | --- | --- | --- | --- |"]
    out = {"label": label, "data": data, "runs": RUNS, "rows": []}
    for row in rows:
        r, d = row["rask"], row["dask"]
        rt = r.get("compute") if r.get("rc") == 0 else None
        dt = d.get("compute") if d.get("rc") == 0 else None
        ratio = f"{dt / rt:.2f}×" if rt and dt else "—"
        rmb = f"{r['max_rss_mb']:.0f} MB" if r.get("rc") == 0 else "—"
        dmb = f"{d['max_rss_mb']:.0f} MB" if d.get("rc") == 0 else "—"
        rcell = fmt_s(rt) if rt is not None else failure(r)
        dcell = fmt_s(dt) if dt is not None else failure(d)
        md.append(f"| {row['desc']} | {rcell} | {dcell} | {ratio} | {rmb} | {dmb} | {agree(row['id'], r, d)} |")
        out["rows"].append({"id": row["id"], "rask_s": rt, "dask_s": dt,
                            "rask_rss_mb": r.get("max_rss_mb"), "dask_rss_mb": d.get("max_rss_mb"),
                            "rask_error": None if r.get("rc") == 0 else failure(r),
                            "dask_error": None if d.get("rc") == 0 else failure(d),
                            "rask_out": r.get("out"), "dask_out": d.get("out"),
                            "peers": {p: {"s": v.get("compute") if v.get("rc") == 0 else None,
                                          "wall_s": v.get("best_wall"),
                                          "rss_mb": v.get("max_rss_mb"), "out": v.get("out")}
                                      for p, v in row["peers"].items()},
                            "rask_wall_s": r.get("best_wall"), "dask_wall_s": d.get("best_wall")})
    md += peer_table(rows)
    text = "\n".join(md) + "\n"
    print()
    print(text)
    res = os.path.join(BENCH, "data", f"frames_{label}")
    with open(res + ".md", "w") as f:
        f.write(text)
    with open(res + ".json", "w") as f:
        json.dump(out, f, indent=1)
    print(f"(also written to bench/data/frames_{label}.md and .json)")


if __name__ == "__main__":
    main()
