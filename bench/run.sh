#!/usr/bin/env bash
# The rask benchmark: one invocation sets up a Python venv with Dask, builds rask, writes the
# HDF5 inputs once (with h5py) and runs every workload in rask and in Dask (threaded
# scheduler) on the same files, printing times, ratios, peak RSS and the targets.
#
#   bash bench/run.sh                                  # full size: 2e8 float32 (800 MB per file)
#   BENCH_N=2e7 BENCH_M=4000 bash bench/run.sh         # quick run
#
# Environment: BENCH_N (HDF5 elements, default 2e8), BENCH_M (side of the normal exercise,
# default 20000), BENCH_RUNS (best of, default 3), BENCH_STARTUP_RUNS (default 20),
# BENCH_GZIP=0 (skip the gzip file), BENCH_ONLY=id,id (mean_contig mean_chunked mean_gzip
# sumsq std normal_mean startup), CARGO_TARGET_DIR (where cargo builds rask).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
venv="$here/.venv"
data="$here/data"
export BENCH_N="${BENCH_N:-2e8}"
export BENCH_M="${BENCH_M:-20000}"
export BENCH_GZIP="${BENCH_GZIP:-1}"

# GNU time measures each process's peak RSS (the Debian package `time`).
if ! [ -x /usr/bin/time ]; then
    apt-get update -qq && apt-get install -y -qq time
fi

# Python with Dask, NumPy and h5py, from PyPI, pinned.
pins=("dask[array]==2026.8.0" "numpy==2.4.6" "h5py==3.16.0")
if ! [ -x "$venv/bin/python" ]; then
    echo "bench: creating $venv"
    if ! python3 -m venv "$venv"; then
        # Debian's python3 needs python3-venv for ensurepip
        rm -rf "$venv"
        apt-get update -qq && apt-get install -y -qq python3-venv
        python3 -m venv "$venv"
    fi
fi
if ! "$venv/bin/python" -c 'import dask.array, numpy, h5py' 2>/dev/null; then
    echo "bench: installing ${pins[*]} into $venv"
    "$venv/bin/pip" install -q "${pins[@]}"
fi
"$venv/bin/python" -c 'import dask, numpy, h5py; print(f"bench: dask {dask.__version__}, numpy {numpy.__version__}, h5py {h5py.__version__}")'

# rask, release build; run a private copy so a concurrent build cannot swap it mid-run.
mkdir -p "$data"
target="${CARGO_TARGET_DIR:-$root/target}"
rask=""
build_failed=0
echo "bench: cargo build --release (log: bench/data/build.log)"
if (cd "$root" && cargo build --release) >"$data/build.log" 2>&1; then
    cp "$target/release/rask" "$data/rask-bench"
    rask="$data/rask-bench"
else
    build_failed=1
    grep -m 5 -A 3 '^error' "$data/build.log" >&2 || tail -n 20 "$data/build.log" >&2
    echo "bench: WARNING: cargo build --release failed (full log: bench/data/build.log); measuring Dask only" >&2
fi

# Inputs, written once by h5py (not rask).
kinds=(contig chunked)
[ "$BENCH_GZIP" = "0" ] || kinds+=(gzip)
"$venv/bin/python" "$here/gen_data.py" "$BENCH_N" "$data" "${kinds[@]}"

echo "bench: machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
"$venv/bin/python" "$here/harness.py" "$rask"
exit "$build_failed"
