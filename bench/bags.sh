#!/usr/bin/env bash
# Bag benchmark (issue 3): rask against Dask on the same gzipped JSON-lines files written by
# rask's create_accounts_json: names' frequencies, foldby count per name, foldby total amount
# per name, and the Alice filter-map-take. Dask runs with its default bag scheduler
# (processes) and with threads; rask with its default (threads). Issue 16: Polars 2.1.0 and
# DuckDB 2.0.1 run the same workloads in their own idioms on the same .gz files
# (bench/bags/bag_peers.py: scan_ndjson, read_json). The gzip floor is `zcat` of every file,
# per core.
#
# bench/bags/bags.py runs every workload of every side in its own process (peak RSS through
# /usr/bin/time), the sides alternated run by run; each process calls the workload
# BAGS_REPEAT times and reports the best call after the first (the warm time) and the
# first. It prints a table with each side's time, best Dask / rask, Polars / rask and
# DuckDB / rask, peak RSS, and whether every side printed the same check values; also
# written to bench/data/bags_FILES-N-K.md and .json.
#
#   bash bench/bags.sh                     # tutorial scale: 25 files, n=100000, k=500
#   BAGS_FILES=250 bash bench/bags.sh      # 10x the files
#
# Environment: BAGS_FILES (default 25), BAGS_N (100000), BAGS_K (500), BAGS_RUNS (processes
# per side, best of; default 3), BAGS_REPEAT (calls per process, 2), BAGS_PEERS (0: rask and
# Dask only), BAGS_ONLY (frequencies,foldby-count,foldby-total,alice-take),
# CARGO_TARGET_DIR (where cargo builds rask), RASK (a rask binary to use instead of
# building one).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
venv="$here/.venv"
files="${BAGS_FILES:-25}"
n="${BAGS_N:-100000}"
k="${BAGS_K:-500}"
runs="${BAGS_RUNS:-3}"
data="$here/data/accounts-$files-$n-$k"

if ! [ -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if ! [ -x /usr/bin/time ]; then
    apt-get update -qq && apt-get install -y -qq time
fi
# pinned, the same versions as frames.sh (the same venv)
pins=("dask[bag]==2026.8.0" "polars==2.1.0" "duckdb==2.0.1")
if ! "$venv/bin/python" -c 'import dask.bag, polars, duckdb' 2>/dev/null; then
    echo "bags: installing ${pins[*]} into $venv"
    "$venv/bin/pip" install -q "${pins[@]}"
fi
"$venv/bin/python" -c 'import dask, polars, duckdb; print(f"bags: dask {dask.__version__}, polars {polars.__version__}, duckdb {duckdb.__version__}")'

# rask, release build; a private copy so a concurrent build cannot swap it mid-run
# (RASK=path benchmarks a binary already built, e.g. when several trees share a target dir)
rask="$(mktemp -d)/rask"
if [ -n "${RASK:-}" ]; then
    cp "$RASK" "$rask"
else
    (cd "$root" && cargo build --release -q)
    target="${CARGO_TARGET_DIR:-$root/target}"
    cp "$target/release/rask" "$rask"
fi

if ! [ -d "$data" ]; then
    echo "bags: writing $files files of $n transactions over $k accounts into $data"
    "$rask" -c "create_accounts_json($files, $n, $k, path=\"$data\")"
fi
glob="$data/accounts.*.json.gz"

# the floor: decompressing everything, on one core and divided by the cores
floor=$( { /usr/bin/time -f "%e" sh -c "zcat $glob > /dev/null" ; } 2>&1 | tail -1)
cores=$(nproc)
echo "bags: zcat of all files: ${floor}s on one core (${cores} cores: floor $(echo "$floor / $cores" | bc -l | cut -c1-5)s)"

# the page cache holds the files before anything is timed (the zcat above read them too)
cat $glob > /dev/null
"$venv/bin/python" "$here/bags/bags.py" "$rask" "$glob" "$files-$n-$k"
rm -f "$rask"
