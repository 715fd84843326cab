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

# The kernel tests (tests/kernel.rs) drive `rask kernel` with real Jupyter: a local venv
# with jupyter_client and the conformance suite jupyter_kernel_test, from PyPI, pinned;
# tests/export.rs validates exported notebooks with nbformat; tests/kernel.rs re-executes
# the exported sessions with nbconvert (and its nbclient); tests/npy.rs checks np.save and
# np.load against NumPy; the file-format round trips (tests/formats.rs, issue 14) write and
# read Parquet, Zarr and HDF5 with the tools people keep them with: pandas, pyarrow,
# Polars, DuckDB, zarr-python (with numcodecs) and h5py. (ipykernel is not needed: rask
# is the kernel.)
# Cluster mode (tests/distributed.rs) runs `dask scheduler` and `dask worker` from the same
# venv: distributed and dask, pinned to one release; the bridge package python/rask_dask
# is installed editable.
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv"
if ! "$venv/bin/python" -c 'import jupyter_client, jupyter_kernel_test, nbformat, nbconvert, nbclient, numpy, distributed, rask_dask, pandas, pyarrow, polars, duckdb, zarr, numcodecs, h5py' 2>/dev/null \
    || [ "$("$venv/bin/python" -c 'import distributed, zarr; print(distributed.__version__, zarr.__version__)' 2>/dev/null)" != "2026.8.0 3.1.6" ]; then
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        echo "setup: installing python3-venv"
        SUDO=""
        [ "$(id -u)" -eq 0 ] || SUDO="sudo"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
    fi
    echo "setup: creating $venv (Jupyter, Dask distributed, rask_dask, and the file-format tools)"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check \
        "jupyter_client==8.10.0" "jupyter_kernel_test==0.7.0" "nbformat==5.10.4" \
        "nbconvert==7.17.2" "nbclient==0.11.0" "numpy==2.4.6" \
        "distributed==2026.8.0" "dask==2026.8.0" \
        "pandas==3.1.1" "pyarrow==26.0.1" "polars==2.1.0" "duckdb==2.0.1" \
        "zarr==3.1.6" "numcodecs==0.16.6" "h5py==3.16.0"
    "$venv/bin/pip" install -q --disable-pip-version-check -e "$root/python/rask_dask"
fi
