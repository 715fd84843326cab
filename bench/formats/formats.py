"""File-format workloads (issue 14) in rask and its peers on the same files: the National
Food Survey as Parquet (written by pyarrow, one file a year) read + groupby('minfd').size()
in rask, Dask (threads), Polars and DuckDB. Each run is its own process (peak RSS through
/usr/bin/time); runs alternate between the sides; best of N. Prints one table with the
ratio peer time / rask time for each peer and whether every side printed the same numbers.

usage: python formats.py RASK_BINARY PARQUET_DIR   (formats.sh calls it)
Environment: FORMATS_RUNS (best of, default 3).
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
sys.path.insert(0, BENCH)
from harness import dask_time, fmt_s, interleaved, rask_time, values  # noqa: E402

RUNS = int(os.environ.get("FORMATS_RUNS", "3"))
PEERS = ["dask", "polars", "duckdb"]


def main():
    rask, data = sys.argv[1], sys.argv[2]
    scripts = os.path.join(BENCH, "data", "scripts")
    os.makedirs(scripts, exist_ok=True)
    path = os.path.join(scripts, "formats_parquet_groupby.rask")
    with open(path, "w") as f:
        f.write(f'df = dd.read_parquet("{data}")\n'
                '%time r = df.groupby("minfd").size().compute()\n'
                "print(len(r), sum(list(r)))\n")
    sides = [([rask, "run", path], rask_time)]
    for p in PEERS:
        sides.append(([sys.executable, os.path.join(HERE, "peers.py"), p, "parquet_groupby", data],
                      dask_time))
    print("formats: parquet_groupby ...", file=sys.stderr, flush=True)
    load = os.getloadavg()[0]
    recs = interleaved(sides, RUNS)
    rt = recs[0].get("compute") if recs[0].get("rc") == 0 else None
    head = "| workload | rask | " + " | ".join(PEERS) + " | " + \
        " | ".join(f"{p} / rask" for p in PEERS) + " | peak RSS rask / " + \
        " / ".join(PEERS) + " | results |"
    md = [f"{data}: best of {RUNS} runs, {os.cpu_count()} cores, 1-minute load {load:.2f}", "",
          head, "|" + " --- |" * (4 + 2 * len(PEERS))]
    cells = [fmt_s(rt) if rt else f"failed: {recs[0]['err'][-200:]!r}"]
    ratios, rss = [], [f"{recs[0].get('max_rss_mb', 0):.0f}"]
    vals = [values(r["out"]) if r.get("rc") == 0 else None for r in recs]
    for r in recs[1:]:
        t = r.get("compute") if r.get("rc") == 0 else None
        cells.append(fmt_s(t) if t else "failed")
        ratios.append(f"{t / rt:.2f}×" if t and rt else "—")
        rss.append(f"{r.get('max_rss_mb', 0):.0f}" if r.get("rc") == 0 else "—")
    same = all(v is not None and v == vals[0] for v in vals)
    md.append("| read_parquet + groupby('minfd').size() | " + " | ".join(cells) + " | " +
              " | ".join(ratios) + " | " + " / ".join(rss) + " MB | " +
              ("same" if same else f"DIFFER {vals}") + " |")
    print("\n".join(md))


if __name__ == "__main__":
    main()
