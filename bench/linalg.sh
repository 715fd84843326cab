#!/usr/bin/env bash
# Linear-algebra benchmark (issue 5): rask against Dask with NumPy (and SciPy, which Dask's
# cholesky and solve call) on the same shapes and chunks: x.T @ x, qr and svd of a
# 200000 x 1000 float64 array in chunks of 20000 rows, and cholesky and solve of a
# 4000 x 4000 symmetric positive definite matrix in 1000 x 1000 chunks. Each measurement is
# its own process (peak RSS from /usr/bin/time, as bench/run.sh); times are the compute
# call only, best of LINALG_RUNS, the two sides alternating run by run.
#
#   bash bench/linalg.sh                        # the issue's sizes
#   LINALG_ROWS=40000 bash bench/linalg.sh      # quicker: fewer rows (chunks of rows/10)
#
# Environment: LINALG_ROWS (200000), LINALG_COLS (1000), LINALG_N (side of the square
# matrix, 4000), LINALG_RUNS (best of, default 1), LINALG_ONLY=id,id (xtx qr svd cholesky
# solve), CARGO_TARGET_DIR (where cargo builds rask).
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
# the pins of bench/run.sh, plus SciPy for Dask's cholesky, lu and solve_triangular
pins=("dask[array]==2026.8.0" "numpy==2.4.6" "scipy==1.17.1")
if ! "$venv/bin/python" -c 'import dask.array, numpy, scipy.linalg' 2>/dev/null; then
    echo "linalg: installing ${pins[*]} into $venv"
    "$venv/bin/pip" install -q "${pins[@]}"
fi

# rask, release build; a private copy so a concurrent build cannot swap it mid-run
echo "linalg: cargo build --release (log: bench/data/linalg-build.log)"
(cd "$root" && cargo build --release) >"$here/data/linalg-build.log" 2>&1
target="${CARGO_TARGET_DIR:-$root/target}"
cp "$target/release/rask" "$here/data/rask-linalg"

echo "linalg: machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$venv/bin/python" "$here/linalg_bench.py" "$here/data/rask-linalg"
