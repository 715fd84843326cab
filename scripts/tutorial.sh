#!/usr/bin/env bash
# The main job: the classic Dask tutorial in rask, on data rask generates itself.
# Installs what is missing, builds rask, then replays every saved session and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release
for s in sessions/*.md; do
    echo "== $s"
    ./target/release/rask run "$s"
done
