#!/usr/bin/env bash
# Zarr benchmark (issue 14): the mean of a 2e8-element float64 Zarr array, in rask
# (`da.from_zarr(...).mean().compute()`) and in Dask (threaded scheduler) on the same
# store, written once by zarr-python: v3 with zarr-python's default codec (zstd), and v2
# with numcodecs' default Blosc (lz4, byte shuffle). Each measurement is its own process
# (peak RSS from /usr/bin/time, as bench/run.sh); times are the compute call only, best of
# ZARR_RUNS, the two sides alternating run by run; the store is read once before timing
# so both find it in the page cache.
#
#   bash bench/zarr.sh                   # 2e8 elements in chunks of 1e7
#   ZARR_N=2e7 bash bench/zarr.sh        # quicker
#
# Environment: ZARR_N (elements, 2e8), ZARR_CHUNK (elements a chunk, 1e7), ZARR_RUNS
# (best of, 3), ZARR_ONLY=id,id (v3_zstd v2_blosc), CARGO_TARGET_DIR (where cargo builds).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
venv="$here/.venv"
mkdir -p "$here/data"

if ! [ -x /usr/bin/time ]; then
    apt-get update -qq && apt-get install -y -qq time
fi
if ! [ -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
# the pins of bench/run.sh, plus zarr-python and numcodecs (the versions setup.sh pins)
pins=("dask[array]==2026.8.0" "numpy==2.4.6" "zarr==3.1.6" "numcodecs==0.16.6")
if ! "$venv/bin/python" -c 'import dask.array, numpy, zarr, numcodecs' 2>/dev/null; then
    echo "zarr: installing ${pins[*]} into $venv"
    "$venv/bin/pip" install -q "${pins[@]}"
fi

# rask, release build; a private copy so a concurrent build cannot swap it mid-run
echo "zarr: cargo build --release (log: bench/data/zarr-build.log)"
(cd "$root" && cargo build --release) >"$here/data/zarr-build.log" 2>&1
target="${CARGO_TARGET_DIR:-$root/target}"
cp "$target/release/rask" "$here/data/rask-zarr"

echo "zarr: machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$venv/bin/python" "$here/zarr_bench.py" "$here/data/rask-zarr"
