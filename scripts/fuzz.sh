#!/usr/bin/env bash
# A long fuzz run (issue 15): the generator and mutator of tests/fuzz.rs with more inputs.
# Crashing or hanging inputs are kept in $TMPDIR as rask-fuzz-crash-* / rask-fuzz-hang-*;
# each becomes a regression test in tests/robustness.rs.
#
#   bash scripts/fuzz.sh              # 300 000 inputs, seed from the clock
#   RASK_FUZZ_COUNT=50000 RASK_FUZZ_SEED=7 bash scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export RASK_FUZZ_COUNT="${RASK_FUZZ_COUNT:-300000}"
export RASK_FUZZ_SEED="${RASK_FUZZ_SEED:-$(date +%s)}"
echo "fuzz: $RASK_FUZZ_COUNT inputs, seed $RASK_FUZZ_SEED"
cargo test --release --test fuzz -- --nocapture
