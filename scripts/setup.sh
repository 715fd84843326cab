#!/usr/bin/env bash
# Install what building rask needs on a fresh Debian machine, if it is missing:
# the HDF5 C library (rask reads HDF5 through it) and pkg-config to find it; and what
# the tests write reference files with (zstd: .zst files made by the zstd program).
set -euo pipefail
need=()
for p in libhdf5-dev pkg-config zstd; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing ${need[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v cargo >/dev/null || { echo "setup: cargo not found; install Rust (rustup) first" >&2; exit 1; }
