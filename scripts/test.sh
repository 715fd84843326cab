#!/usr/bin/env bash
# The test command: install what is missing, then build once (release profile, the only
# one we use) and run every test: unit tests, examples, CLI tests, and every saved session
# replayed under the sync, threads and processes schedulers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo test --release --all-targets -- --test-threads=2
