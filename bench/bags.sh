#!/usr/bin/env bash
# Bag benchmark (issue 3): rask against Dask on the same gzipped JSON-lines files written by
# rask's create_accounts_json: names' frequencies, foldby count per name, foldby total amount
# per name, and the Alice filter-map-take. Dask runs with its default bag scheduler
# (processes) and with threads; rask with its default (threads). The gzip floor is `zcat` of
# every file, per core. Prints best-of-N wall times in seconds.
#
#   bash bench/bags.sh                     # tutorial scale: 25 files, n=100000, k=500
#   BAGS_FILES=250 bash bench/bags.sh      # 10x the files
#
# Environment: BAGS_FILES (default 25), BAGS_N (100000), BAGS_K (500), BAGS_RUNS (best of,
# default 3), CARGO_TARGET_DIR (where cargo builds rask), RASK (a rask binary to use
# instead of building one).
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
if ! "$venv/bin/python" -c 'import dask.bag' 2>/dev/null; then
    "$venv/bin/pip" install -q "dask[bag]==2026.8.0"
fi

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

script="$(mktemp)"
cat > "$script" <<RASK
import json
js = db.read_text("$glob").map(json.loads)
def incr(tot, _): return tot + 1
def total(tot, r): return tot + sum(t["amount"] for t in r["transactions"])
RASK
for i in $(seq "$runs"); do
cat >> "$script" <<'RASK'
%time freq = js.pluck("name").frequencies().compute()
%time cnt = js.foldby("name", incr, 0, lambda a, b: a + b, 0).compute()
%time tot = js.foldby("name", total, 0, lambda a, b: a + b, 0).compute()
%time alice = js.filter(lambda r: r["name"] == "Alice").map(lambda d: len(d["transactions"])).take(5, warn=False)
RASK
done
echo "bags: rask (threads)"
"$rask" run "$script" | grep "Wall time" | awk -v runs="$runs" '
    { t = $3; if ($4 == "ms") t /= 1000; i = (NR - 1) % 4; if (NR <= 4 || t < best[i]) best[i] = t }
    END { split("frequencies foldby-count foldby-total alice-take", name, " ");
          for (i = 0; i < 4; i++) printf "  %-14s %.4f s\n", name[i + 1], best[i] }'

cat > "$script.py" <<PY
import json, sys, time
import dask, dask.bag as db

def main():
    js = db.read_text("$glob").map(json.loads)
    incr = lambda tot, _: tot + 1
    total = lambda tot, r: tot + sum(t["amount"] for t in r["transactions"])
    work = [
        ("frequencies", lambda: js.pluck("name").frequencies().compute()),
        ("foldby-count", lambda: js.foldby("name", incr, 0, lambda a, b: a + b, 0).compute()),
        ("foldby-total", lambda: js.foldby("name", total, 0, lambda a, b: a + b, 0).compute()),
        ("alice-take", lambda: js.filter(lambda r: r["name"] == "Alice").map(lambda d: len(d["transactions"])).take(5, warn=False)),
    ]
    for sched in ["processes", "threads"]:
        print(f"bags: dask ({sched})")
        with dask.config.set(scheduler=sched):
            for name, f in work:
                best = float("inf")
                for _ in range($runs):
                    t = time.perf_counter(); f(); best = min(best, time.perf_counter() - t)
                print(f"  {name:<14} {best:.4f} s")

if __name__ == "__main__":
    main()
PY
"$venv/bin/python" "$script.py"
rm -f "$script" "$script.py"
