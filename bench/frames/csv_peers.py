"""The CSV group-by workloads and set_index('minfd') (issue 16) in Polars and DuckDB, one
per process, timed in process around the work itself (imports and interpreter start
outside the clock, as rask's `%time` and dask_frames.py leave theirs out). Prints the
numbers frames.py compares across the sides and `compute_seconds=S`. Each peer runs its
own idiom on the same files:

  Polars:  pl.scan_csv(glob).group_by("minfd").len()
           pl.scan_csv(glob).select(pl.col("minfd").value_counts())
  DuckDB:  SELECT minfd, count(*) FROM read_csv(glob) GROUP BY minfd   (both workloads)

set_index_minfd (rask and Dask: df.set_index("minfd") without divisions, a count per
partition): neither peer has an index or partitions, so the closest idiom is a full sort
of every row and column by minfd, materialised, then its row count:

  Polars:  pl.scan_csv(glob).sort("minfd", maintain_order=True).collect(), then .height
  DuckDB:  CREATE TABLE t AS SELECT * FROM read_csv(glob) ORDER BY minfd  (an in-memory
           table: DuckDB keeps a CTAS's ORDER BY, preserve_insertion_order being on by
           default), then SELECT count(*) FROM t

A bare count over an ORDER BY subquery would let DuckDB drop the sort, and a lazy Polars
count would skip it too; here both sorts run into a materialised result, which is then
checked to be in minfd order outside the clock (the run fails if it is not).

usage: python csv_peers.py TOOL WORKLOAD DATA_DIR
  TOOL: polars | duckdb;  WORKLOAD: groupby_size | value_counts | set_index_minfd
"""

import sys
import time


def main():
    tool, wid, data = sys.argv[1], sys.argv[2], sys.argv[3]
    if wid not in ("groupby_size", "value_counts", "set_index_minfd"):
        raise SystemExit(f"unknown workload {wid}")
    glob = f"{data}/NFS_*.csv"
    if tool == "polars":
        import polars as pl

        t0 = time.perf_counter()
        if wid == "set_index_minfd":
            r = pl.scan_csv(glob).sort("minfd", maintain_order=True).collect()
            dt = time.perf_counter() - t0
            if not r["minfd"].is_sorted():
                raise SystemExit("polars: the sorted frame is not in minfd order")
            shown = [r.height]
        elif wid == "groupby_size":
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
        if wid == "set_index_minfd":
            t0 = time.perf_counter()
            con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{glob}') ORDER BY minfd")
            n = con.execute("SELECT count(*) FROM t").fetchone()[0]
            dt = time.perf_counter() - t0
            # outside the clock: the table's rows are in minfd order (nulls last, DuckDB's
            # default), so the sort did happen
            bad = con.execute(
                "SELECT count(*) FROM (SELECT minfd, lag(minfd) OVER (ORDER BY rowid) AS p, "
                "lag(minfd IS NULL) OVER (ORDER BY rowid) AS pn FROM t) "
                "WHERE (minfd < p) OR (pn AND minfd IS NOT NULL)"
            ).fetchone()[0]
            if bad:
                raise SystemExit(f"duckdb: {bad} rows of the sorted table out of minfd order")
            print(n)
            print(f"compute_seconds={dt:.6f}")
            return
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
