#!/usr/bin/env bash
# File-format benchmark (issue 14): the National Food Survey as Parquet, written by pyarrow
# from the 27 years rask's create_denormalized joins (8,338,857 rows, one file a year), read
# + groupby('minfd').size() in rask, Dask (threads), Polars and DuckDB; ratios and peak RSS.
# The Zarr array mean is bench/zarr.sh.
#
#   bash bench/formats.sh                 # best of 3
#   FORMATS_RUNS=5 bash bench/formats.sh
# Environment: FORMATS_RUNS, FRAMES_SHARED (the NationalFoodSurvey folder), RASK (a rask
# binary to use instead of building one).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
venv="$here/.venv"
data="$here/data"
shared="${FRAMES_SHARED:-}"
if [ -z "$shared" ]; then
    for d in "$root/../shared/data/NationalFoodSurvey" "$root/../../shared/data/NationalFoodSurvey"; do
        if [ -f "$d/NFS_1974.zip" ]; then shared="$(cd "$d" && pwd)"; break; fi
    done
fi
[ -n "$shared" ] || { echo "formats: ../shared/data/NationalFoodSurvey not found (set FRAMES_SHARED)" >&2; exit 2; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }

# the peers, from PyPI, pinned (the bench venv the other scripts share)
pins=("dask[dataframe]==2026.8.0" "pandas==3.1.1" "pyarrow==26.0.1" "polars==2.1.0" "duckdb==2.0.1")
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
if ! "$venv/bin/python" -c 'import dask.dataframe, pandas, pyarrow, polars, duckdb' 2>/dev/null; then
    echo "formats: installing ${pins[*]} into $venv"
    "$venv/bin/pip" install -q "${pins[@]}"
fi

mkdir -p "$data"
if [ -n "${RASK:-}" ]; then
    cp "$RASK" "$data/rask-formats"
else
    echo "formats: cargo build --release (log: bench/data/build.log)"
    (cd "$root" && cargo build --release) >"$data/build.log" 2>&1 || { tail -n 20 "$data/build.log" >&2; exit 1; }
    cp "${CARGO_TARGET_DIR:-$root/target}/release/rask" "$data/rask-formats"
fi
rask="$data/rask-formats"
echo "formats: machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"

csv="$data/nfs"
if ! [ -f "$csv/NFS_2000.csv" ]; then
    echo "formats: create_denormalized from $shared into $csv"
    "$rask" -c "create_denormalized(src=\"$shared\", dest=\"$csv\")"
fi
pq="$data/nfs-parquet"
if ! [ -f "$pq/NFS_2000.parquet" ]; then
    echo "formats: writing $pq with pyarrow (one file a year)"
    mkdir -p "$pq"
    "$venv/bin/python" - "$csv" "$pq" <<'PY'
import glob, os, sys
import pyarrow.csv as pc, pyarrow.parquet as pp
src, dst = sys.argv[1], sys.argv[2]
for f in sorted(glob.glob(os.path.join(src, "NFS_*.csv"))):
    name = os.path.basename(f)[:-4] + ".parquet"
    pp.write_table(pc.read_csv(f), os.path.join(dst, name))
PY
fi
echo "formats: $(du -sh "$pq" | cut -f1) of Parquet in $pq"
cat "$pq"/*.parquet > /dev/null
"$venv/bin/python" "$here/formats/formats.py" "$rask" "$pq"
