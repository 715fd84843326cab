"""The bag workloads (issue 3) in Dask and, for issue 16, in Polars and DuckDB: one workload
per process on the gzipped JSON-lines accounts files rask's create_accounts_json writes
(`{"id": 3, "name": "Alice", "transactions": [{"transaction-id": 17, "amount": 250}, ...]}`).
Imports, the interpreter's start and the connection are outside the clock; the clock is
around the work itself, as rask's `%time` is. The workload runs REPEAT times in the process
(default 2): `first_seconds=` is the first call, `compute_seconds=` the best of the later
ones (Dask's process pool and every tool's thread pool then exist already, as in the
earlier in-process best-of-N of bags.sh). Prints the check values bags.py compares across
the sides: for the three per-name reductions, the number of names, the sum of the values
and sum((i + 1) * value) over the names in sorted order; for the take, the five lengths.

Each tool in its own idiom on the same files (Polars and DuckDB read the .gz directly):

  workload       Dask                                Polars                                       DuckDB
  frequencies    js.pluck("name").frequencies()      scan_ndjson(glob).select(                    SELECT name, count(*) FROM read_json(glob,
                                                       pl.col("name").value_counts())               format='newline_delimited') GROUP BY name
  foldby-count   js.foldby("name", incr, 0, add, 0)  scan_ndjson(glob).group_by("name").len()     (the same query)
  foldby-total   js.foldby("name", total, 0, add, 0) scan_ndjson(glob).select("name",             SELECT name, sum(t.amount) FROM (SELECT name,
                                                       "transactions").explode("transactions")      unnest(transactions) AS t FROM read_json(..))
                                                       .unnest("transactions")                      GROUP BY name
                                                       .group_by("name").agg(pl.col("amount").sum())
  alice-take     js.filter(name == "Alice")          scan_ndjson(glob).filter(name == "Alice")    SELECT len(transactions) FROM read_json(..)
                   .map(len(transactions)).take(5)     .select(transactions.list.len()).head(5)     WHERE name = 'Alice' LIMIT 5

(js = db.read_text(glob).map(json.loads); incr = count + 1; total = running sum of the
record's amounts. Every record has at least one transaction, so unnest/explode drops no
name. DuckDB keeps the files' order for a scan, filter and LIMIT: preserve_insertion_order
is on by default, and the check compares the five lengths with rask's.)

usage: python bag_peers.py TOOL WORKLOAD GLOB [REPEAT]
  TOOL: dask-processes | dask-threads | polars | duckdb
  WORKLOAD: frequencies | foldby-count | foldby-total | alice-take
"""

import sys
import time

WORKLOADS = ("frequencies", "foldby-count", "foldby-total", "alice-take")


def digest(pairs):
    """Order-free check of a per-name result: names, sum of values, weighted sum."""
    pairs = sorted((str(k), int(v)) for k, v in pairs)
    return [len(pairs), sum(v for _, v in pairs), sum((i + 1) * v for i, (_, v) in enumerate(pairs))]


def dask_work(sched, wid, glob):
    import json

    import dask
    import dask.bag as db

    dask.config.set(scheduler=sched)
    js = db.read_text(glob).map(json.loads)
    incr = lambda tot, _: tot + 1
    total = lambda tot, r: tot + sum(t["amount"] for t in r["transactions"])
    if wid == "frequencies":
        return lambda: digest(js.pluck("name").frequencies().compute())
    if wid == "foldby-count":
        return lambda: digest(js.foldby("name", incr, 0, lambda a, b: a + b, 0).compute())
    if wid == "foldby-total":
        return lambda: digest(js.foldby("name", total, 0, lambda a, b: a + b, 0).compute())
    return lambda: list(
        js.filter(lambda r: r["name"] == "Alice").map(lambda d: len(d["transactions"])).take(5, warn=False))


def polars_work(wid, glob):
    import polars as pl

    def run():
        lf = pl.scan_ndjson(glob)
        if wid == "frequencies":
            r = lf.select(pl.col("name").value_counts()).collect()
            s = r["name"]
            return digest(zip(s.struct.field("name"), s.struct.field("count")))
        if wid == "foldby-count":
            r = lf.group_by("name").len().collect()
            return digest(zip(r["name"], r["len"]))
        if wid == "foldby-total":
            r = (lf.select("name", "transactions").explode("transactions").unnest("transactions")
                 .group_by("name").agg(pl.col("amount").sum()).collect())
            return digest(zip(r["name"], r["amount"]))
        r = (lf.filter(pl.col("name") == "Alice").select(pl.col("transactions").list.len())
             .head(5).collect())
        return [int(v) for v in r["transactions"]]

    return run


def duckdb_work(wid, glob):
    import duckdb

    con = duckdb.connect()
    src = f"read_json('{glob}', format='newline_delimited')"
    if wid in ("frequencies", "foldby-count"):
        q = f"SELECT name, count(*) FROM {src} GROUP BY name"
    elif wid == "foldby-total":
        q = f"SELECT name, sum(t.amount) FROM (SELECT name, unnest(transactions) AS t FROM {src}) GROUP BY name"
    else:
        q = f"SELECT len(transactions) FROM {src} WHERE name = 'Alice' LIMIT 5"

    def run():
        r = con.execute(q).fetchall()
        return [int(v[0]) for v in r] if wid == "alice-take" else digest(r)

    return run


def main():
    tool, wid, glob = sys.argv[1], sys.argv[2], sys.argv[3]
    repeat = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    if wid not in WORKLOADS:
        raise SystemExit(f"unknown workload {wid}")
    if tool in ("dask-processes", "dask-threads"):
        work = dask_work(tool.split("-")[1], wid, glob)
    elif tool == "polars":
        work = polars_work(wid, glob)
    elif tool == "duckdb":
        work = duckdb_work(wid, glob)
    else:
        raise SystemExit(f"unknown tool {tool}")
    times, shown = [], None
    for _ in range(max(repeat, 1)):
        t0 = time.perf_counter()
        shown = work()
        times.append(time.perf_counter() - t0)
    print(*shown)
    print(f"first_seconds={times[0]:.6f}")
    print(f"compute_seconds={min(times[1:] or times):.6f}")


if __name__ == "__main__":
    main()
