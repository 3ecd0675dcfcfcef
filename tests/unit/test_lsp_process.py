"""How the language server's process ends, and how a stuck one is told: the exit codes of
the protocol, SIGUSR1 (where its threads are), and the test harness's bounded wait for a
server that never exits.  Each test starts its own server process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from lsp_session import JJXF, STDERR_KEPT, Session


def _frame(message: dict[str, object]) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _messages(out: bytes) -> list[object]:
    """The messages of a Content-Length framed stream (it holds nothing else)."""
    found = []
    while out:
        head, _, rest = out.partition(b"\r\n\r\n")
        fields = dict(line.split(b": ", 1) for line in head.split(b"\r\n"))
        length = int(fields[b"Content-Length"])
        found.append(json.loads(rest[:length]))
        out = rest[length:]
    return found


def _serve(*methods: str) -> subprocess.CompletedProcess[bytes]:
    """Run the server on a client's whole conversation: initialize, then ``methods``."""
    messages = [{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}]
    messages += [
        {"jsonrpc": "2.0", "method": m, "params": {} if m == "initialized" else None}
        if m in ("initialized", "exit")
        else {"jsonrpc": "2.0", "id": i + 2, "method": m, "params": None}
        for i, m in enumerate(methods)
    ]
    return subprocess.run(
        [sys.executable, "-m", "policyrules", "lsp"],
        input=b"".join(_frame(m) for m in messages),
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_the_server_exits_0_after_shutdown_and_1_without() -> None:
    """The protocol's rule; the server wrote a traceback (stdout closed under the command
    line's final flush) and exited 1 even after a shutdown."""
    done = _serve("initialized", "shutdown", "exit")
    assert done.returncode == 0
    assert done.stderr == b""
    assert {"jsonrpc": "2.0", "id": 3, "result": None} in _messages(done.stdout)
    abrupt = _serve("initialized", "exit")
    assert abrupt.returncode == 1
    assert b"Traceback" not in abrupt.stderr


# A server that answers initialize and shutdown and then never exits.
_STAYS = """
import json, sys, time
def read():
    length = 0
    while (line := sys.stdin.buffer.readline()) not in (b"\\r\\n", b""):
        if line.startswith(b"Content-Length:"):
            length = int(line.split(b":")[1])
    return json.loads(sys.stdin.buffer.read(length)) if length else None
while (m := read()) is not None:
    if m.get("method") in ("initialize", "shutdown"):
        result = {"capabilities": {}} if m["method"] == "initialize" else None
        body = json.dumps({"jsonrpc": "2.0", "id": m["id"], "result": result}).encode()
        sys.stdout.buffer.write(b"Content-Length: %d\\r\\n\\r\\n" % len(body) + body)
        sys.stdout.buffer.flush()
    elif m.get("method") == "exit":
        time.sleep(3600)
"""


def test_a_server_that_never_exits_fails_the_session_clearly() -> None:
    """A CI run's session waited 60 s for the server to exit after shutdown and exit; the
    wait is now bounded, and past it the server is killed and the test told why."""
    s = Session(command=(sys.executable, "-c", _STAYS), exit_wait=1)
    process = s.client._server
    assert process is not None
    with pytest.raises(AssertionError) as failed:
        s.close()
    said = str(failed.value)
    assert said.startswith(
        "the language server did not exit after shutdown and exit within 1 s (the process was "
        "running (S)); killed"
    )
    assert process.returncode is not None  # killed, and its end seen


def test_sigusr1_makes_the_server_say_where_its_threads_are() -> None:
    """A server that seems stuck (a CI run's session waited for one to exit) is asked where
    it is before it is killed: SIGUSR1 ended the process, saying nothing."""
    server = subprocess.Popen(
        [sys.executable, "-m", "policyrules", "lsp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert server.stdin is not None
    assert server.stdout is not None
    hello = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
    server.stdin.write(_frame(hello))
    server.stdin.flush()
    assert server.stdout.readline().startswith(b"Content-Length:")  # serving: answered
    os.kill(server.pid, signal.SIGUSR1)
    time.sleep(0.5)  # the signal's handler runs on the main thread between instructions
    goodbye = [{"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None}]
    goodbye += [{"jsonrpc": "2.0", "method": "exit", "params": None}]
    _out, err = server.communicate(b"".join(_frame(m) for m in goodbye), timeout=60)
    assert server.returncode == 0
    assert b"Current thread" in err or b"Thread 0x" in err
    assert b"policyrules/lsp/server.py" in err  # its main thread, in start_io


# The server, after writing 256 KB to standard error: four times a pipe's buffer (64 KB on
# Linux), so it blocks at its first write unless someone reads the pipe.
_CHATTY = """
import runpy, sys
sys.stderr.write("noise " * 43691 + "end of noise\\n")
sys.stderr.flush()
sys.argv = ["policyrules", "lsp"]
runpy.run_module("policyrules", run_name="__main__", alter_sys=True)
"""


def test_a_server_writing_much_to_standard_error_is_not_blocked() -> None:
    """The session reads the server's standard error as it comes, keeping its tail: left
    unread, the pipe filled and the server stopped at its next write, answering nothing."""
    s = Session(command=(sys.executable, "-c", _CHATTY))
    try:
        uri = s.open(JJXF)
        assert s.diagnostics_after(uri, 0) == []  # it serves
    finally:
        s.close()
    assert s.stderr.endswith(b"end of noise\n")
    assert len(s.stderr) <= STDERR_KEPT  # the tail only
