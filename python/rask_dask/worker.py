"""The Dask-worker side: a WorkerPlugin that keeps ``rask __worker --framed`` processes
(one per worker thread) and the task function that talks to them.

The bridge loads this file as a module that cannot be imported by name, so Dask pickles
the plugin and the task function by value: Dask workers need only ``distributed``, not
this package.

Frames to a rask worker process (rask's worker codec, see src/scheduler/codec.rs)::

    request  := 1 len:u64 op n:u32 chunk*
    response := len:u64 (0 chunk | 1 error)      (the --framed mode adds the length)
"""

import os
import queue
import shutil
import struct
import subprocess
import threading

from distributed import WorkerPlugin, get_worker

HELLO = b"RASKWK01"
PLUGIN_NAME = "rask"


class RaskTaskError(Exception):
    """A rask task's own error: ``args[0]`` is the error in rask's codec."""


class RaskWorkerMissing(RuntimeError):
    """rask cannot run on this Dask worker (no binary, wrong version)."""


def _read_exact(f, n):
    buf = bytearray()
    while len(buf) < n:
        part = f.read(n - len(buf))
        if not part:
            raise EOFError("the rask worker process closed its pipe")
        buf += part
    return bytes(buf)


class _Proc:
    """One ``rask __worker --framed`` process."""

    def __init__(self, exe):
        self.p = subprocess.Popen(
            [exe, "__worker", "--framed"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
        )
        got = _read_exact(self.p.stdout, len(HELLO))
        if got != HELLO:
            self.kill()
            raise RaskWorkerMissing(f"{exe} __worker did not greet as a rask worker")

    def run(self, op, inputs):
        head = b"\x01" + struct.pack("<Q", len(op))
        count = struct.pack("<I", len(inputs))
        self.p.stdin.write(b"".join([head, op, count, *inputs]))
        self.p.stdin.flush()
        n = struct.unpack("<Q", _read_exact(self.p.stdout, 8))[0]
        return _read_exact(self.p.stdout, n)

    def kill(self):
        try:
            self.p.kill()
            self.p.wait(timeout=5)
        except Exception:
            pass


def find_binary(client_binary):
    """RASK_BINARY on the worker, else the path the client's rask runs from (a worker
    on the same machine or a shared file system), else ``rask`` on PATH."""
    for cand in (os.environ.get("RASK_BINARY"), client_binary):
        if cand and os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    return shutil.which("rask")


class RaskPlugin(WorkerPlugin):
    """Started once per Dask worker: finds the rask binary, checks its version and
    keeps one rask worker process per worker thread."""

    name = PLUGIN_NAME

    def __init__(self, binary, version):
        self.binary = binary
        self.version = version
        self.exe = None
        self.error = None
        self.idle = None
        self.procs = []
        self.lock = None  # made in setup: the plugin travels pickled

    def setup(self, worker):
        self.idle = queue.LifoQueue()
        self.procs = []
        self.lock = threading.Lock()
        try:
            exe = find_binary(self.binary)
            if exe is None:
                raise RaskWorkerMissing(
                    "no rask binary: put rask on PATH or set RASK_BINARY on the worker"
                )
            try:
                out = subprocess.run(
                    [exe, "--version"], capture_output=True, timeout=30
                ).stdout.decode("utf-8", "replace").strip()
            except Exception as e:
                raise RaskWorkerMissing(f"cannot run {exe} --version: {e}")
            if out != self.version:
                first = out.splitlines()[0] if out else "not rask"
                raise RaskWorkerMissing(
                    f"{exe} --version says {first!r}, the client runs {self.version!r}"
                )
            self.exe = exe
            # started here, on the worker's long-lived event-loop thread: the rask
            # worker dies with the thread that started it (PR_SET_PDEATHSIG)
            for _ in range(max(1, worker.state.nthreads)):
                p = _Proc(exe)
                self.procs.append(p)
                self.idle.put(p)
        except Exception as e:
            self.error = f"rask cannot run on worker {worker.address}: {e}"

    def teardown(self, worker):
        for p in self.procs:
            p.kill()
        self.procs = []

    def acquire(self):
        if self.error:
            raise RaskWorkerMissing(self.error)
        try:
            return self.idle.get_nowait()
        except queue.Empty:
            p = _Proc(self.exe)
            with self.lock:
                self.procs.append(p)
            return p

    def release(self, p):
        self.idle.put(p)

    def replace(self, p):
        p.kill()
        with self.lock:
            if p in self.procs:
                self.procs.remove(p)


def worker_status(dask_worker=None):
    """For ``client.run``: None when rask is ready on this worker, else why not."""
    w = dask_worker or get_worker()
    plugin = w.plugins.get(PLUGIN_NAME)
    if plugin is None:
        return f"worker {w.address} has no rask plugin"
    return plugin.error


def run_task(op, *inputs):
    """One rask task on a Dask worker: op bytes and input chunk bytes in, result chunk
    bytes out; a rask error is raised as RaskTaskError carrying its encoded form."""
    w = get_worker()
    plugin = w.plugins.get(PLUGIN_NAME)
    if plugin is None:
        raise RaskWorkerMissing(f"worker {w.address} has no rask plugin")
    p = plugin.acquire()
    try:
        body = p.run(op, inputs)
    except Exception as e:
        plugin.replace(p)
        raise RuntimeError(f"the rask worker process on {w.address} failed: {e}")
    plugin.release(p)
    if body[:1] == b"\x00":
        return body[1:]
    raise RaskTaskError(body[1:])
