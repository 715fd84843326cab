"""The helper process rask starts for cluster mode: ``python -m rask_dask.bridge``.

It talks to rask over its stdin and stdout only (no socket of its own towards rask).
Every message, both ways, is one frame::

    frame := total:u64 header_len:u32 header:json blob

(little-endian). The header says what the message is; the blob holds binary data the
header points into (op bytes, a result chunk, an encoded rask error).

rask -> bridge:  connect {address, timeout, binary, version, n_workers, threads}
                 compute {tasks: [[key, [input task indices], op_offset, op_len]],
                          outputs: [task indices]}
                 cancel, info, close
bridge -> rask:  hello; connected {info} | error {message}
                 progress {done}; result {index} + chunk bytes;
                 task_error {index, key} + encoded rask error; error {message, key?};
                 done {cancelled}; info {info}
"""

import json
import os
import struct
import sys
import threading
import traceback


class Wire:
    def __init__(self):
        # the protocol keeps a private copy of stdout; fd 1 then points at stderr, so a
        # print or a log line anywhere in this process cannot corrupt the stream
        fd = os.dup(1)
        os.dup2(2, 1)
        sys.stdout = sys.stderr
        self.out = os.fdopen(fd, "wb", buffering=0)
        self.inp = sys.stdin.buffer
        self.lock = threading.Lock()

    def send(self, header, blob=b""):
        h = json.dumps(header).encode()
        data = b"".join(
            [struct.pack("<QI", 4 + len(h) + len(blob), len(h)), h, bytes(blob)]
        )
        with self.lock:
            try:
                self.out.write(data)
            except (BrokenPipeError, ValueError):
                # rask is gone: the main loop sees stdin close and shuts down
                pass

    def recv(self):
        head = self.inp.read(8)
        if len(head) < 8:
            return None, None
        (n,) = struct.unpack("<Q", head)
        body = self.inp.read(n)
        if len(body) < n:
            return None, None
        (hl,) = struct.unpack("<I", body[:4])
        header = json.loads(body[4 : 4 + hl])
        return header, memoryview(body)[4 + hl :]


def dask_key(k):
    return tuple(k) if isinstance(k, list) else k


def suffixed(k, tag):
    if isinstance(k, tuple):
        return (k[0] + tag,) + k[1:]
    return k + tag


def key_text(k):
    if isinstance(k, tuple):
        return "(" + ", ".join(repr(x) for x in k) + ")"
    return repr(k)


def remote_module():
    """worker.py loaded as a module that is not importable (not in sys.modules), so
    that Dask pickles its plugin and task function by value: the Dask workers need
    only distributed, not this package."""
    import types

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "worker.py")
    with open(path, encoding="utf-8") as f:
        src = f.read()
    m = types.ModuleType("rask_dask_remote")
    exec(compile(src, path, "exec"), m.__dict__)
    return m


class Bridge:
    def __init__(self, wire):
        self.wire = wire
        self.client = None
        self.cluster = None
        self.futures = []
        self.cancelled = threading.Event()
        self.computing = None
        self.worker_module = None
        self.ncompute = 0
        self.held = []

    def connect(self, msg):
        try:
            import distributed  # noqa: F401
            from distributed import Client, LocalCluster
        except ImportError as e:
            self.wire.send(
                {
                    "type": "error",
                    "message": f"{sys.executable} has no distributed ({e}): "
                    "pip install distributed",
                }
            )
            return False
        rask_worker = remote_module()
        self.worker_module = rask_worker
        address = msg.get("address")
        timeout = msg.get("timeout", 5)
        try:
            if address:
                self.client = Client(address, timeout=timeout)
            else:
                import logging

                kw = dict(
                    host="127.0.0.1",
                    processes=True,
                    dashboard_address="127.0.0.1:0",
                    silence_logs=logging.ERROR,
                )
                if msg.get("n_workers"):
                    kw["n_workers"] = msg["n_workers"]
                if msg.get("threads"):
                    kw["threads_per_worker"] = msg["threads"]
                self.cluster = LocalCluster(**kw)
                self.client = Client(
                    self.cluster, timeout=timeout
                )
        except Exception as e:
            where = address or "a local cluster"
            self.wire.send(
                {
                    "type": "error",
                    "message": f"cannot connect to {where}: {type(e).__name__}: {e}",
                }
            )
            return False
        try:
            self.client.register_plugin(
                rask_worker.RaskPlugin(msg.get("binary"), msg.get("version")),
                name=rask_worker.PLUGIN_NAME,
            )
            status = self.client.run(rask_worker.worker_status)
        except Exception as e:
            self.wire.send(
                {
                    "type": "error",
                    "message": f"cannot set up rask on the workers: {type(e).__name__}: {e}",
                }
            )
            return False
        bad = [s for s in status.values() if s]
        if bad:
            self.wire.send({"type": "error", "message": "; ".join(sorted(bad))})
            return False
        self.wire.send({"type": "connected", "info": self.info()})
        return True

    def info(self):
        c = self.client
        si = c.scheduler_info()
        workers = si.get("workers", {})
        return {
            "address": c.scheduler.address,
            "workers": len(workers),
            "threads": sum(w.get("nthreads", 0) for w in workers.values()),
            "memory": sum(w.get("memory_limit", 0) or 0 for w in workers.values()),
            "dashboard": c.dashboard_link if self._has_dashboard(si) else None,
        }

    def _has_dashboard(self, si):
        try:
            return bool(si.get("services", {}).get("dashboard"))
        except Exception:
            return False

    def compute(self, msg, blob):
        try:
            self._compute(msg, blob)
        except Exception as e:
            self.wire.send(
                {
                    "type": "error",
                    "message": f"{type(e).__name__}: {e}",
                    "trace": traceback.format_exc(),
                }
            )
            self.wire.send({"type": "done", "cancelled": False})
        finally:
            self.futures = []

    def _compute(self, msg, blob):
        from dask._task_spec import Task, TaskRef
        from distributed import as_completed

        run_task = self.worker_module.run_task

        tasks = msg["tasks"]
        # a compute's own keys: rask's layer name (what the dashboard groups by) with a
        # number added, so a key released or cancelled by an earlier compute can never
        # touch this one's tasks
        self.ncompute += 1
        tag = f"-{self.ncompute}"
        names = [key_text(dask_key(t[0])) for t in tasks]
        keys = [suffixed(dask_key(t[0]), tag) for t in tasks]
        dsk = {}
        for key, (_, ins, off, ln) in zip(keys, tasks):
            op = bytes(blob[off : off + ln])
            dsk[key] = Task(key, run_task, op, *[TaskRef(keys[i]) for i in ins])
        outputs = set(msg["outputs"])
        index = {k: i for i, k in enumerate(keys)}
        self.cancelled.clear()
        futures = self.client.get(dsk, keys, sync=False)
        held = [True] * len(futures)
        self.futures = futures
        self.held = held
        done = 0
        failed = False
        for fut in as_completed(futures):
            if self.cancelled.is_set():
                break
            i = index[fut.key]
            if fut.status == "error":
                exc = fut.exception()
                if type(exc).__name__ == "RaskTaskError" and exc.args:
                    self.wire.send(
                        {"type": "task_error", "index": i, "key": names[i]},
                        exc.args[0],
                    )
                else:
                    self.wire.send(
                        {
                            "type": "error",
                            "index": i,
                            "message": f"{names[i]} failed on the cluster: "
                            f"{type(exc).__name__}: {exc}",
                        }
                    )
                failed = True
                break
            if fut.status != "finished":
                self.wire.send(
                    {
                        "type": "error",
                        "index": i,
                        "message": f"{names[i]} was {fut.status} on the cluster",
                    }
                )
                failed = True
                break
            done += 1
            if i in outputs:
                self.wire.send({"type": "result", "index": i}, fut.result())
            self.wire.send({"type": "progress", "done": done})
            if i not in outputs:
                # its dependents hold it on the cluster as long as they need it
                held[i] = False
                fut.release()
        if failed or self.cancelled.is_set():
            # never cancel a released key: the scheduler asserts someone wants it
            self.client.cancel([f for f, h in zip(futures, held) if h])
        self.wire.send({"type": "done", "cancelled": self.cancelled.is_set()})

    def cancel(self):
        self.cancelled.set()
        futures = self.futures
        held = self.held
        if futures and self.client is not None:
            try:
                self.client.cancel([f for f, h in zip(futures, held) if h])
            except Exception:
                pass

    def close(self):
        for closer in (self.client, self.cluster):
            if closer is not None:
                try:
                    closer.close()
                except Exception:
                    pass
        self.client = None
        self.cluster = None


def main():
    wire = Wire()
    bridge = Bridge(wire)
    wire.send({"type": "hello", "version": 1})
    try:
        while True:
            header, blob = wire.recv()
            if header is None:
                break
            kind = header.get("type")
            if kind == "connect":
                bridge.connect(header)
            elif kind == "compute":
                t = threading.Thread(
                    target=bridge.compute, args=(header, blob), daemon=True
                )
                bridge.computing = t
                t.start()
            elif kind == "cancel":
                bridge.cancel()
            elif kind == "info":
                try:
                    wire.send({"type": "info", "info": bridge.info()})
                except Exception as e:
                    wire.send({"type": "error", "message": str(e)})
            elif kind == "close":
                break
    finally:
        bridge.cancel()
        bridge.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
