"""One workload on a peer, timed in-process around the work itself (the import and the
interpreter start are outside the clock, as rask's `%time` leaves out its start). Prints
`compute_seconds=S` and the result's numbers. formats.py runs it once per measured run.

usage: python peers.py TOOL WORKLOAD DATA
  TOOL: dask | polars | duckdb
  WORKLOAD: parquet_groupby (DATA: a directory of Parquet files, one a year)
"""

import sys
import time


def main():
    tool, wid, data = sys.argv[1], sys.argv[2], sys.argv[3]
    if wid != "parquet_groupby":
        raise SystemExit(f"unknown workload {wid}")
    glob = f"{data}/*.parquet"
    if tool == "dask":
        import dask
        import dask.dataframe as dd

        dask.config.set(scheduler="threads")
        t0 = time.perf_counter()
        r = dd.read_parquet(glob).groupby("minfd").size().compute()
        dt = time.perf_counter() - t0
        n, total = len(r), int(r.sum())
    elif tool == "polars":
        import polars as pl

        t0 = time.perf_counter()
        r = pl.scan_parquet(glob).group_by("minfd").len().collect()
        dt = time.perf_counter() - t0
        n, total = r.height, int(r["len"].sum())
    elif tool == "duckdb":
        import duckdb

        con = duckdb.connect()
        t0 = time.perf_counter()
        r = con.execute(
            f"SELECT minfd, count(*) AS n FROM read_parquet('{glob}') GROUP BY minfd"
        ).fetchall()
        dt = time.perf_counter() - t0
        n, total = len(r), sum(c for _, c in r)
    else:
        raise SystemExit(f"unknown tool {tool}")
    print(f"compute_seconds={dt:.6f}")
    print(n, total)


if __name__ == "__main__":
    main()
