#!/usr/bin/env bash
# The main job: the classic Dask tutorial in rask, on data rask generates itself.
# Installs what is missing, builds rask, then replays every saved session and prints it,
# and exports each session as a workshop notebook (kernel "rask") at the top of the repo:
# Jupyter runs a notebook in its own folder, and the sessions name data/, examples/ and
# sessions/ from here.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release
for s in sessions/*.md; do
    echo "== $s"
    ./target/release/rask run "$s"
done
for s in sessions/*.md; do
    ./target/release/rask export "$s" --to ipynb -o "$(basename "$s" .md).ipynb"
done
