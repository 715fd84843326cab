"""A jupyter_client round trip through the rask kernel installed under JUPYTER_PATH.

Each check prints `ok: NAME`; any failure raises and the script exits non-zero. The
kernel is always shut down (and waited for) before the script ends.
"""

import os
import queue
import signal
import sys
import time

from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

TIMEOUT = 30


def ok(name):
    print("ok:", name, flush=True)


def collect(kc, msg_id, timeout=TIMEOUT):
    """The execute reply and the IOPub messages of one request, up to its idle."""
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    msgs = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return reply, msgs
        msgs.append(m)


def execute(kc, code, **kw):
    return collect(kc, kc.execute(code, **kw))


def of_type(msgs, t):
    return [m for m in msgs if m["msg_type"] == t]


def result_text(msgs):
    rs = of_type(msgs, "execute_result")
    return [r["content"]["data"]["text/plain"] for r in rs]


def shell_request(kc, send):
    msg_id = send()
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
    return reply["content"]


def shell_replies(kc, n):
    """The contents of the next `n` shell replies, by the msg_id they answer."""
    replies = {}
    while len(replies) < n:
        m = kc.get_shell_msg(timeout=TIMEOUT)
        replies[m["parent_header"].get("msg_id")] = m["content"]
    return replies


def check_execute(kc):
    info = shell_request(kc, kc.kernel_info)
    assert info["implementation"] == "rask", info
    assert info["protocol_version"] == "5.3", info
    assert info["language_info"]["name"] == "python", info
    ok("kernel_info")

    reply, msgs = execute(kc, 'print("hello")\nx = 6 * 7\nx')
    assert reply["content"]["status"] == "ok", reply
    assert reply["content"]["execution_count"] == 1, reply
    inputs = of_type(msgs, "execute_input")
    assert inputs and inputs[0]["content"]["execution_count"] == 1, msgs
    streams = of_type(msgs, "stream")
    assert [s["content"]["name"] for s in streams] == ["stdout"], msgs
    assert streams[0]["content"]["text"] == "hello\n", streams
    assert result_text(msgs) == ["42"], msgs
    assert of_type(msgs, "execute_result")[0]["content"]["execution_count"] == 1
    ok("execute: stream and result")

    # the session lives on: names from the last cell, counts that go up
    reply, msgs = execute(kc, "y = x + 1\ny")
    assert result_text(msgs) == ["43"], msgs
    assert reply["content"]["execution_count"] == 2, reply
    # silent: nothing shown, the count stays
    reply, msgs = execute(kc, "z = 1\nz", silent=True)
    assert reply["content"]["status"] == "ok", reply
    assert not of_type(msgs, "execute_result") and not of_type(msgs, "execute_input"), msgs
    reply, msgs = execute(kc, "z")
    assert reply["content"]["execution_count"] == 3, reply
    assert result_text(msgs) == ["1"], msgs
    ok("execute: names across cells, counts, silent")

    # user_expressions are evaluated after the cell: a repr, or the error
    reply, msgs = execute(kc, "w = [1, 2]", user_expressions={"n": "len(w)", "bad": "1 / 0"})
    ue = reply["content"]["user_expressions"]
    assert ue["n"] == {"status": "ok", "data": {"text/plain": "2"}, "metadata": {}}, ue
    assert ue["bad"]["status"] == "error" and ue["bad"]["ename"] == "ZeroDivisionError", ue
    ok("execute: user_expressions")

    # stop_on_error: cells queued behind a failing one are aborted, later ones run
    first = kc.execute("import time\ntime.sleep(0.5)\n1 / 0")
    queued = kc.execute("aborted_name = 1")
    replies = shell_replies(kc, 2)
    assert replies[first]["status"] == "error", replies
    assert replies[queued]["status"] == "aborted", replies
    reply, msgs = execute(kc, "aborted_name")
    assert reply["content"]["ename"] == "NameError", reply
    # without stop_on_error the next cell runs
    first = kc.execute("time.sleep(0.5)\n1 / 0", stop_on_error=False)
    queued = kc.execute("ran = 1")
    replies = shell_replies(kc, 2)
    assert replies[first]["status"] == "error", replies
    assert replies[queued]["status"] == "ok", replies
    ok("execute: stop_on_error aborts the queued cells")

    reply, msgs = execute(kc, "a = 1\nb = a + undefined_name")
    c = reply["content"]
    assert c["status"] == "error" and c["ename"] == "NameError", c
    assert "undefined_name" in c["evalue"], c
    tb = "\n".join(c["traceback"])
    assert "b = a + undefined_name" in tb and "^" in tb, tb
    errors = of_type(msgs, "error")
    assert len(errors) == 1 and errors[0]["content"]["traceback"] == c["traceback"], msgs
    ok("execute: error with caret traceback")

    # a task's print reaches the notebook as stderr
    code = (
        "def shout(x):\n"
        "    print('from a task', x)\n"
        "    return x\n"
        "\n"
        "db.from_sequence([1, 2], npartitions=1).map(shout).compute()\n"
    )
    reply, msgs = execute(kc, code)
    assert reply["content"]["status"] == "ok", reply
    err = "".join(s["content"]["text"] for s in of_type(msgs, "stream")
                  if s["content"]["name"] == "stderr")
    assert "from a task 1" in err and "from a task 2" in err, msgs
    assert result_text(msgs) == ["[1, 2]"], msgs
    ok("execute: stderr stream")


def check_display(kc):
    # display() between prints: stream, display_data, stream, in order
    reply, msgs = execute(kc, "from IPython.display import HTML, Image, SVG, clear_output\n"
                              "print('a'); display(HTML('<b>bold</b>'), 7); print('b')")
    assert reply["content"]["status"] == "ok", reply
    kinds = [m["msg_type"] for m in msgs if m["msg_type"] in ("stream", "display_data")]
    assert kinds == ["stream", "display_data", "display_data", "stream"], msgs
    d = of_type(msgs, "display_data")
    assert d[0]["content"]["data"]["text/html"] == "<b>bold</b>", d
    assert d[0]["content"]["data"]["text/plain"] == "<IPython.core.display.HTML object>", d
    assert d[1]["content"]["data"] == {"text/plain": "7"}, d
    streams = [m["content"]["text"] for m in of_type(msgs, "stream")]
    assert streams == ["a\n", "b\n"], streams
    # a display object as a cell's value; an image URL is pointed at, never fetched
    reply, msgs = execute(kc, "Image(url='http://127.0.0.1:9/never.png', width=50)")
    data = of_type(msgs, "execute_result")[0]["content"]["data"]
    assert data["text/html"] == '<img src="http://127.0.0.1:9/never.png" width="50"/>', data
    reply, msgs = execute(kc, "SVG('<svg xmlns=\"http://www.w3.org/2000/svg\"/>')")
    data = of_type(msgs, "execute_result")[0]["content"]["data"]
    assert data["image/svg+xml"].startswith("<svg"), data
    reply, msgs = execute(kc, "print('gone'); clear_output(wait=True); print('kept')")
    kinds = [m["msg_type"] for m in msgs if m["msg_type"] in ("stream", "clear_output")]
    assert kinds == ["stream", "clear_output", "stream"], msgs
    assert of_type(msgs, "clear_output")[0]["content"]["wait"] is True, msgs
    ok("display: IPython.display objects, display(), clear_output")

    # collections as Dask and pandas show them in a notebook; text/plain as the terminal
    reply, msgs = execute(kc, "a = da.ones((10, 20), chunks=(5, 5))\na")
    data = of_type(msgs, "execute_result")[0]["content"]["data"]
    html = data["text/html"]
    assert "<table" in html and "<svg" in html and "8 chunks in 1 graph layer" in html, html
    assert data["text/plain"] == "Array<shape=(10, 20), dtype=float64, chunks=(5, 5), tasks=8>", data
    reply, msgs = execute(kc, "pdf = pd.DataFrame({'a': [1, 2], 'b': ['x', '<y>']})\npdf")
    html = of_type(msgs, "execute_result")[0]["content"]["data"]["text/html"]
    assert 'class="dataframe"' in html and "&lt;y&gt;" in html, html
    reply, msgs = execute(kc, "dd.from_pandas(pdf, npartitions=2)")
    html = of_type(msgs, "execute_result")[0]["content"]["data"]["text/html"]
    assert "Dask DataFrame Structure" in html and "npartitions=2" in html, html
    reply, msgs = execute(kc, "db.from_sequence([1, 2, 3], npartitions=3)")
    html = of_type(msgs, "execute_result")[0]["content"]["data"]["text/html"]
    assert "npartitions=3" in html, html
    ok("display: arrays, frames and bags as HTML")

    # visualize() draws the graph inline as SVG (and as text for text/plain)
    reply, msgs = execute(kc, "g = da.ones(4, chunks=2) + 1\ng.visualize()")
    assert reply["content"]["status"] == "ok", reply
    d = of_type(msgs, "display_data")
    assert len(d) == 1, msgs
    svg = d[0]["content"]["data"]["image/svg+xml"]
    assert svg.startswith("<svg") and "ones" in svg and "add" in svg, svg[:200]
    assert "tasks" in d[0]["content"]["data"]["text/plain"], d
    reply, msgs = execute(kc, "visualize(g, g.sum())")
    assert of_type(msgs, "display_data")[0]["content"]["data"]["image/svg+xml"].startswith("<svg")
    ok("display: visualize as image/svg+xml")

    # the progress bar: one display, updated in place, ending as Dask's line with the time
    for sched in ("sync", "threads", "processes"):
        code = ("from dask.diagnostics import ProgressBar\n"
                "with ProgressBar():\n"
                "    t = da.ones(40, chunks=4).sum().compute(scheduler=%r)\n"
                "t" % sched)
        reply, msgs = execute(kc, code)
        assert reply["content"]["status"] == "ok", reply
        shown = [m for m in msgs if m["msg_type"] in ("display_data", "update_display_data")]
        assert shown and shown[0]["msg_type"] == "display_data", msgs
        ids = {m["content"]["transient"]["display_id"] for m in shown}
        assert len(ids) == 1, shown
        last = shown[-1]["content"]["data"]["text/plain"]
        assert last.startswith("[" + "#" * 40 + "] | 100% Completed | "), last
        assert last.endswith(" s") or last.endswith(" ms") or last.endswith(" us"), last
        assert result_text(msgs) == ["40.0"], msgs
        # nothing of the bar on stderr
        assert not [m for m in of_type(msgs, "stream") if m["content"]["name"] == "stderr"], msgs
    ok("display: progress bar as an updating display on every scheduler")


def check_assist(kc, tmp):
    c = shell_request(kc, lambda: kc.complete("x = da.ara"))
    assert "arange" in c["matches"], c
    assert (c["cursor_start"], c["cursor_end"]) == (7, 10), c
    execute(kc, "longish_name = 1")
    c = shell_request(kc, lambda: kc.complete("longish_n"))
    assert c["matches"] == ["longish_name"], c
    # methods of a bound value, on the cursor's line of a multi-line cell
    execute(kc, "arr = da.ones(10, chunks=5)")
    code = "q = 1\narr.comp\nq"
    c = shell_request(kc, lambda: kc.complete(code, cursor_pos=len("q = 1\narr.comp")))
    assert "compute" in c["matches"], c
    assert c["cursor_start"] == len("q = 1\narr."), c
    # paths inside strings
    with open(os.path.join(tmp, "numbers.csv"), "w") as f:
        f.write("a\n1\n")
    code = 'df = dd.read_csv("%s/numb' % tmp
    c = shell_request(kc, lambda: kc.complete(code))
    assert any(m.endswith("numbers.csv") for m in c["matches"]), c
    ok("complete: names, methods, paths")

    c = shell_request(kc, lambda: kc.inspect("da.arange"))
    assert c["found"] and "arange" in c["data"]["text/plain"], c
    c = shell_request(kc, lambda: kc.inspect("x = da.from_array(", cursor_pos=18))
    assert c["found"] and "from_array" in c["data"]["text/plain"], c
    c = shell_request(kc, lambda: kc.inspect("no_such_thing"))
    assert not c["found"], c
    ok("inspect: help()")

    for code, status in [("x = 1", "complete"), ("x = (1,", "incomplete"),
                         ("x = = 1", "invalid"), ("if x:\n    y = 1\n", "complete")]:
        c = shell_request(kc, lambda: kc.is_complete(code))
        assert c["status"] == status, (code, c)
    c = shell_request(kc, lambda: kc.is_complete("for i in range(3):"))
    assert c == {"status": "incomplete", "indent": "    "}, c
    ok("is_complete")

    c = shell_request(kc, lambda: kc.history(hist_access_type="tail", n=2, output=True))
    assert [h[2][0] for h in c["history"]] == ["longish_name = 1", "arr = da.ones(10, chunks=5)"], c
    c = shell_request(kc, lambda: kc.comm_info())
    assert c["comms"] == {}, c
    ok("history and comm_info")


def wait_busy(kc, msg_id):
    while True:
        m = kc.get_iopub_msg(timeout=TIMEOUT)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
            return


def check_interrupt(km, kc):
    # a loop, stopped by interrupt_request on the control channel
    msg_id = kc.execute("n = 0\nwhile True:\n    n += 1\n")
    wait_busy(kc, msg_id)
    time.sleep(0.5)
    t = time.time()
    km.interrupt_kernel()
    reply, msgs = collect(kc, msg_id)
    assert reply["content"]["status"] == "error", reply
    assert reply["content"]["ename"] == "KeyboardInterrupt", reply
    assert time.time() - t < 10, "the interrupt took too long"
    ok("interrupt: a loop, by message")

    # a long lazy compute, stopped by SIGINT as Ctrl-C stops it in the REPL
    code = "big = da.random.random((40000, 40000), chunks=(500, 500))\nbig.sum().compute()"
    msg_id = kc.execute(code)
    wait_busy(kc, msg_id)
    time.sleep(1.0)
    t = time.time()
    km.signal_kernel(signal.SIGINT)
    reply, msgs = collect(kc, msg_id)
    assert reply["content"]["ename"] == "KeyboardInterrupt", reply
    assert time.time() - t < 10, "the interrupt took too long"
    ok("interrupt: a compute, by SIGINT")

    # the kernel goes on, with its names
    reply, msgs = execute(kc, "x + n * 0")
    assert result_text(msgs) == ["42"], msgs
    ok("interrupt: the kernel goes on")


def check_signatures(kc):
    # a message signed with another key is dropped: no reply, no effect
    bad = Session(key=b"not-the-key", username="intruder")
    bad.send(kc.shell_channel.socket, "execute_request",
             {"code": "hacked = 1", "silent": False, "store_history": True,
              "user_expressions": {}, "allow_stdin": False})
    try:
        m = kc.get_shell_msg(timeout=2)
        raise AssertionError("a badly signed message was answered: %r" % m)
    except queue.Empty:
        pass
    # a correctly signed message sent a second time (a replay) is dropped too
    msg = kc.session.msg("execute_request",
                         {"code": "replayed = 1", "silent": False, "store_history": True,
                          "user_expressions": {}, "allow_stdin": False})
    frames = kc.session.serialize(msg)
    kc.shell_channel.socket.send_multipart(frames)
    first = kc.get_shell_msg(timeout=TIMEOUT)
    assert first["content"]["status"] == "ok", first
    kc.shell_channel.socket.send_multipart(frames)
    try:
        m = kc.get_shell_msg(timeout=2)
        raise AssertionError("a replayed message was answered: %r" % m)
    except queue.Empty:
        pass
    reply, msgs = execute(kc, "hacked")
    assert reply["content"]["ename"] == "NameError", reply
    ok("signatures: wrong key and replay dropped, kernel still answers")


def check_restart_and_shutdown(km, kc):
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=TIMEOUT)
    reply, msgs = execute(kc, "x")
    assert reply["content"]["ename"] == "NameError", reply
    ok("restart: a fresh session")

    pid = km.provisioner.process.pid
    msg_id = kc.shutdown()
    reply = kc.control_channel.get_msg(timeout=TIMEOUT)
    assert reply["msg_type"] == "shutdown_reply", reply
    assert reply["content"]["restart"] is False, reply
    deadline = time.time() + 10
    while km.is_alive() and time.time() < deadline:
        time.sleep(0.1)
    assert not km.is_alive(), "the kernel %d did not exit after shutdown_request" % pid
    ok("shutdown")


def main():
    tmp = sys.argv[1]
    km = KernelManager(kernel_name="rask")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=TIMEOUT)
        check_execute(kc)
        check_display(kc)
        check_assist(kc, tmp)
        check_interrupt(km, kc)
        check_signatures(kc)
        check_restart_and_shutdown(km, kc)
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)
        km.cleanup_resources()


if __name__ == "__main__":
    main()
