"""The CSV group-by workloads (issue 16) in Polars and DuckDB, one per process, timed in
process around the work itself (imports and interpreter start outside the clock, as
rask's `%time` and dask_frames.py leave theirs out). Prints the numbers frames.py compares
across the sides and `compute_seconds=S`. Each peer runs its own idiom on the same files:

  Polars:  pl.scan_csv(glob).group_by("minfd").len()
           pl.scan_csv(glob).select(pl.col("minfd").value_counts())
  DuckDB:  SELECT minfd, count(*) FROM read_csv(glob) GROUP BY minfd   (both workloads)

usage: python csv_peers.py TOOL WORKLOAD DATA_DIR
  TOOL: polars | duckdb;  WORKLOAD: groupby_size | value_counts
"""

import sys
import time


def main():
    tool, wid, data = sys.argv[1], sys.argv[2], sys.argv[3]
    if wid not in ("groupby_size", "value_counts"):
        raise SystemExit(f"unknown workload {wid}")
    glob = f"{data}/NFS_*.csv"
    if tool == "polars":
        import polars as pl

        t0 = time.perf_counter()
        if wid == "groupby_size":
            r = pl.scan_csv(glob).group_by("minfd").len().collect()
            dt = time.perf_counter() - t0
            shown = [r.height, int(r["len"].sum())]
        else:
            r = pl.scan_csv(glob).select(pl.col("minfd").value_counts()).collect()
            dt = time.perf_counter() - t0
            counts = r["minfd"].struct.field("count")
            # pandas' value_counts drops the missing key; polars counts it as a group
            keys = r["minfd"].struct.field("minfd")
            counts = counts.filter(keys.is_not_null())
            shown = [counts.len(), int(counts.max())]
    elif tool == "duckdb":
        import duckdb

        con = duckdb.connect()
        t0 = time.perf_counter()
        r = con.execute(
            f"SELECT minfd, count(*) AS n FROM read_csv('{glob}') "
            "WHERE minfd IS NOT NULL GROUP BY minfd"
        ).fetchall()
        dt = time.perf_counter() - t0
        counts = [c for _, c in r]
        if wid == "groupby_size":
            shown = [len(counts), sum(counts)]
        else:
            shown = [len(counts), max(counts)]
    else:
        raise SystemExit(f"unknown tool {tool}")
    print(*shown)
    print(f"compute_seconds={dt:.6f}")


if __name__ == "__main__":
    main()
