"""rask_dask: the helper process rask starts for cluster mode.

rask (a Rust program) starts ``python -m rask_dask.bridge`` and talks to it over its
stdin and stdout (see ``bridge.py``). The bridge holds a ``distributed.Client``; each
rask task becomes a Dask task that hands the task's op and input chunks (bytes of rask's
worker codec) to a long-lived ``rask __worker --framed`` process on the Dask worker
(``worker.py``) and returns the result bytes.
"""

__version__ = "0.1.0"
