#!/usr/bin/env bash
# Data-frame benchmark (issue 4): rask against Dask (threaded scheduler) on the same
# National Food Survey CSVs — read + groupby('minfd').size(), minfd value_counts,
# set_index('styr', divisions=list(range(1974, 2001)) + [2000]) with a count per partition,
# set_index('minfd') without divisions (quantile divisions, then the shuffle) counted alike,
# the tutorial's per-year most-frequent-food map_partitions, and the daily per-capita
# consumption per food and year (a map_partitions over the year partitions: the year's
# total cq of each minfd over the persons (memhh of its distinct households) × 7 days).
# Each workload and run is its own process: best-of-N compute time, peak RSS through
# /usr/bin/time, the ratio, and whether both sides printed the same numbers.
#
# Two data sets:
#   real       the 27 years joined by rask's create_denormalized from
#              ../shared/data/NationalFoodSurvey into bench/data/nfs (8,338,857 rows)
#   synthetic  FRAMES_SCALE (default 10) times the real row count, written by
#              create_synthetic_nfs into bench/data/nfs-synthetic-ROWS (27 years; about
#              4 GB of CSV at 10x)
#
#   bash bench/frames.sh                               # both sets, best of 3
#   FRAMES_SETS=real FRAMES_RUNS=5 bash bench/frames.sh
#   FRAMES_SETS=synthetic FRAMES_RUNS=1 FRAMES_ONLY=groupby_size bash bench/frames.sh
#   FRAMES_SETS=synthetic FRAMES_SCALE=4 FRAMES_ONLY=groupby_size,value_counts bash bench/frames.sh
#
# groupby_size and value_counts also run in Polars (scan_csv) and DuckDB (read_csv), issue
# 16, and so does set_index_minfd as a full sort by minfd, materialised, and its row count:
# a second table with each peer's ratio (FRAMES_PEERS=0 leaves them out).
#
# Environment: FRAMES_SETS (real,synthetic), FRAMES_SCALE (10), FRAMES_RUNS (3),
# FRAMES_ONLY (workload ids: groupby_size value_counts set_index_count set_index_minfd
# most_frequent per_capita), FRAMES_PEERS (1), FRAMES_SHARED (the NationalFoodSurvey folder),
# CARGO_TARGET_DIR, RASK (a rask
# binary to use instead of building one).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
venv="$here/.venv"
data="$here/data"
sets="${FRAMES_SETS:-real,synthetic}"
scale="${FRAMES_SCALE:-10}"
shared="${FRAMES_SHARED:-}"
if [ -z "$shared" ]; then
    for d in "$root/../shared/data/NationalFoodSurvey" "$root/../../shared/data/NationalFoodSurvey"; do
        if [ -f "$d/NFS_1974.zip" ]; then shared="$(cd "$d" && pwd)"; break; fi
    done
fi

if ! [ -x /usr/bin/time ]; then
    apt-get update -qq && apt-get install -y -qq time
fi

# Python with Dask's data frames and pandas, and Polars and DuckDB for the CSV group-bys,
# from PyPI, pinned (the same venv as run.sh and formats.sh)
pins=("dask[dataframe]==2026.8.0" "pandas==3.1.1" "polars==2.1.0" "duckdb==2.0.1")
if ! [ -x "$venv/bin/python" ]; then
    echo "frames: creating $venv"
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import dask.dataframe, pandas, polars, duckdb' 2>/dev/null; then
    echo "frames: installing ${pins[*]} into $venv"
    "$venv/bin/pip" install -q "${pins[@]}"
fi
"$venv/bin/python" -c 'import dask, pandas, polars, duckdb; print(f"frames: dask {dask.__version__}, pandas {pandas.__version__}, polars {polars.__version__}, duckdb {duckdb.__version__}")'

# rask, release build; a private copy so a concurrent build cannot swap it mid-run
mkdir -p "$data"
target="${CARGO_TARGET_DIR:-$root/target}"
rask=""
if [ -n "${RASK:-}" ]; then
    # a binary already built (before/after comparisons in one sitting)
    cp "$RASK" "$data/rask-frames"
    rask="$data/rask-frames"
    echo "frames: rask from RASK=$RASK"
elif echo "frames: cargo build --release (log: bench/data/build.log)" &&
    (cd "$root" && cargo build --release) >"$data/build.log" 2>&1; then
    cp "$target/release/rask" "$data/rask-frames"
    rask="$data/rask-frames"
else
    grep -m 5 -A 3 '^error' "$data/build.log" >&2 || tail -n 20 "$data/build.log" >&2
    echo "frames: WARNING: cargo build --release failed; measuring Dask only" >&2
fi
echo "frames: machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"

# rask's own data generators write the inputs (Dask is timed on the same files)
gen="$rask"
if [ -z "$gen" ] && [ -x "$target/release/rask" ]; then gen="$target/release/rask"; fi

for set in ${sets//,/ }; do
    case "$set" in
    real)
        dir="$data/nfs"
        if ! [ -f "$dir/NFS_2000.csv" ]; then
            if [ -z "$shared" ]; then
                echo "frames: skipping real: ../shared/data/NationalFoodSurvey not found (set FRAMES_SHARED)" >&2
                continue
            fi
            echo "frames: create_denormalized from $shared into $dir"
            /usr/bin/time -f "frames: create_denormalized: %e s, peak RSS %M KB" \
                "$gen" -c "create_denormalized(src=\"$shared\", dest=\"$dir\")"
        fi
        ;;
    synthetic)
        rows=$(( 8338857 * scale / 27 ))
        dir="$data/nfs-synthetic-$rows"
        if ! [ -f "$dir/NFS_2000.csv" ]; then
            echo "frames: create_synthetic_nfs: 27 years of $rows rows into $dir"
            /usr/bin/time -f "frames: create_synthetic_nfs: %e s, peak RSS %M KB" \
                "$gen" -c "create_synthetic_nfs(dest=\"$dir\", years=27, rows=$rows)"
        fi
        ;;
    *)
        echo "frames: unknown set '$set' (real, synthetic)" >&2
        exit 2
        ;;
    esac
    echo "frames: $set: $(du -sh "$dir" | cut -f1) in $dir"
    # the page cache holds the CSVs before anything is timed
    cat "$dir"/*.csv > /dev/null
    "$venv/bin/python" "$here/frames/frames.py" "$rask" "$dir" "$set"
done
