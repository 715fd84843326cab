#!/usr/bin/env bash
# The CPython differential corpus for humans: run every tests/pycorpus/*.py snippet (or
# the ones named) under python3 and under rask, and print a pass/fail table with the first
# differing line of each failure. `cargo test --release --test cpython_diff` is the test.
#   bash scripts/pycorpus.sh [--build] [-j N] [SNIPPET.py ...]
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=4
build=0
files=()
while [ $# -gt 0 ]; do
    case "$1" in
        --build) build=1 ;;
        -j) shift; jobs="$1" ;;
        -h|--help) sed -n 2,5p "$0"; exit 0 ;;
        *) files+=("$1") ;;
    esac
    shift
done
if ! command -v python3 >/dev/null; then
    echo "pycorpus: python3 is not on PATH (the corpus is compared against CPython)" >&2
    exit 2
fi
rask="${RASK:-target/release/rask}"
if [ "$build" = 1 ] || [ ! -x "$rask" ]; then
    cargo build --release || exit 2
fi
if [ ${#files[@]} -eq 0 ]; then
    files=(tests/pycorpus/*.py)
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# one snippet: prints "PASS name" or "FAIL name reason" on one line
one() {
    f="$1"; rask="$2"; out="$3"
    n=$(basename "$f" .py)
    PYTHONHASHSEED=0 timeout 30 python3 "$f" >"$out/$n.py.out" 2>"$out/$n.py.err"
    prc=$?
    if [ $prc -ne 0 ]; then
        echo "FAIL $n python3 itself fails (exit $prc): $(head -c 120 "$out/$n.py.err" | tail -n 1)"
        return
    fi
    timeout 30 "$rask" run "$f" >"$out/$n.rask.out" 2>"$out/$n.rask.err"
    rrc=$?
    if [ $rrc -eq 124 ]; then
        echo "FAIL $n rask timed out after 30 s"
    elif cmp -s "$out/$n.py.out" "$out/$n.rask.out" && [ $rrc -eq 0 ]; then
        echo "PASS $n"
    else
        line=$(diff "$out/$n.py.out" "$out/$n.rask.out" | head -n 1)
        err=$(head -n 1 "$out/$n.rask.err" | cut -c1-90)
        if [ $rrc -ne 0 ]; then
            echo "FAIL $n exit $rrc: ${err:-no message}"
        else
            echo "FAIL $n stdout differs at ${line:-end of output}"
        fi
    fi
}
export -f one
printf '%s\n' "${files[@]}" | xargs -P "$jobs" -I{} bash -c 'one "$@"' _ {} "$rask" "$out" \
    | sort -k2 >"$out/table"
printf '%-6s %-44s %s\n' RESULT SNIPPET DETAIL
while read -r result name detail; do
    printf '%-6s %-44s %s\n' "$result" "$name" "$detail"
done <"$out/table"
pass=$(grep -c '^PASS' "$out/table")
total=$(wc -l <"$out/table")
echo
echo "$pass of $total snippets print what CPython prints"
[ "$pass" -eq "$total" ]
