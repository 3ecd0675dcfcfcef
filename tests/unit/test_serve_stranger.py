"""`policyrules serve` as a stranger uses it: the store and the log named as the docs name
them (relative paths), clients that send too little, too slowly, or too much."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import http.client
import json
import shlex
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import uvicorn
import yaml
from starlette.testclient import TestClient

import policyrules
from policyrules.serve import ServeLimits, create_app
from policyrules.serve_log import DecisionLog
from policyrules.store import LedgerStore
from support import served_cli

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
FIRM_A = ROOT / "examples" / "firm-a.yaml"
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


def firm_without_grants() -> bytes:
    data: Any = yaml.safe_load(FIRM_A.read_text("utf-8"))
    del data["ledger"]
    return json.dumps(data, default=str).encode()


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory of its own, where the files are named as in docs/serve.md."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@contextlib.contextmanager
def held(path: str) -> Iterator[None]:
    """``path`` held by another program, as a sqlite3 shell in a transaction holds it."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@contextlib.contextmanager
def served(app: Any) -> Iterator[tuple[str, int]]:
    """``app`` served by uvicorn in a thread on a free port of 127.0.0.1: its address."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield sock.getsockname()
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


def test_an_error_naming_a_relative_store_or_log_has_no_path(
    policy: policyrules.Policy, here: Path
) -> None:
    """`--log decisions.sqlite --ledger grants.db`, as the docs write them: an error naming
    the log or the store (held by another writer, 503; the store gone, 503 E336) names them
    by label, and its `path`, the place in the document, is null, never the file's name."""
    LedgerStore.open("grants.db", create=True).close()
    log = DecisionLog.open("decisions.sqlite")
    limits = ServeLimits(timeout=1)
    with TestClient(create_app(policy, log=log, ledger="grants.db", limits=limits)) as c:
        with held("decisions.sqlite"):
            busy = c.post("/v1/evaluate", content=firm_without_grants(), headers=JSON)
        Path("grants.db").rename("moved.db")
        gone = c.post("/v1/evaluate", content=firm_without_grants(), headers=JSON)
    for answer, code in ((busy, "E720"), (gone, "E336")):
        assert answer.status_code == 503
        (err,) = answer.json()["errors"]
        assert err["code"] == code
        assert err["path"] is None
        assert "decisions.sqlite" not in answer.text
        assert "grants.db" not in answer.text


class _ReadOnly:
    """A store's connection as SQLite gives it to a user who may read the file but not
    write it (or not its directory): the statements starting with ``refused`` fail as
    SQLite fails them, SQLITE_READONLY.  (Made so: the tests may run as root, whom no
    file's permissions stop.)"""

    def __init__(self, conn: sqlite3.Connection, refused: str) -> None:
        self._conn = conn
        self._refused = refused

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.startswith(self._refused):
            exc = sqlite3.OperationalError("attempt to write a readonly database")
            exc.sqlite_errorcode = sqlite3.SQLITE_READONLY
            exc.sqlite_errorname = "SQLITE_READONLY"
            raise exc
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


@pytest.mark.parametrize("refused", ["BEGIN IMMEDIATE", "PRAGMA journal_mode"])
def test_a_store_it_may_not_write_is_said_so_not_busy_or_damaged(
    policy: policyrules.Policy, here: Path, monkeypatch: pytest.MonkeyPatch, refused: str
) -> None:
    """The store made read-only while the service runs (or its directory): a commit is 503
    E330 saying it cannot write there, not E332 "busy, try again" (waiting would not help)
    nor "damaged, restore from a backup" (the store is whole); nothing is recorded."""
    LedgerStore.open("grants.db", create=True).close()
    log = DecisionLog.open("decisions.sqlite")
    connect = sqlite3.connect
    with (
        TestClient(create_app(policy, log=log, ledger="grants.db")) as c,
        monkeypatch.context() as m,
    ):
        m.setattr(
            "policyrules.store.sqlite3.connect",
            lambda *a, **k: _ReadOnly(connect(*a, **k), refused),
        )
        answer = c.post("/v1/evaluate?commit=1", content=firm_without_grants(), headers=JSON)
    assert answer.status_code == 503
    (err,) = answer.json()["errors"]
    assert err["code"] == "E330"
    assert err["message"] == (
        "the service's ledger store: cannot write to the ledger store "
        "(attempt to write a readonly database)"
    )
    assert "directory" in err["hint"]
    assert "backup" not in err["hint"]
    assert log.entries() == []
    with LedgerStore.open("grants.db", create=False) as s:
        assert list(s.grants()) == []


def test_a_log_that_cannot_be_written_says_what_to_do(
    policy: policyrules.Policy, here: Path
) -> None:
    """The log held by another program (a sqlite3 shell in a transaction), then deleted:
    each 503 E720 has a hint, and they differ (waiting helps only the first)."""
    log = DecisionLog.open("decisions.sqlite")
    with TestClient(create_app(policy, log=log, limits=ServeLimits(timeout=1))) as c:
        with held("decisions.sqlite"):
            busy = c.post("/v1/evaluate", content=firm_without_grants(), headers=JSON)
        Path("decisions.sqlite").unlink()
        gone = c.post("/v1/evaluate", content=firm_without_grants(), headers=JSON)
    hints = []
    for answer in (busy, gone):
        assert answer.status_code == 503
        (err,) = answer.json()["errors"]
        assert err["code"] == "E720"
        assert err["hint"]
        hints.append(err["hint"])
    assert "try again" in hints[0]
    assert "restart" in hints[1]


def test_an_answer_written_past_the_timeout_is_504_unrecorded(
    policy: policyrules.Policy, here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dry run whose answer takes longer to write than `--timeout` (a document of
    thousands of products, ~100 MB of JSON) is answered 504 E712 at the timeout and logs
    nothing, not 200 long after it."""
    import policyrules.serve_work as work

    real = work.dumps

    def slow(data: Any) -> bytes:
        time.sleep(1.5)
        return real(data)

    monkeypatch.setattr(work, "dumps", slow)
    log = DecisionLog.open("decisions.sqlite")
    app = create_app(policy, log=log, limits=ServeLimits(timeout=0.5))
    with TestClient(app) as c:
        started = time.monotonic()
        answer = c.post("/v1/evaluate", content=firm_without_grants(), headers=JSON)
        took = time.monotonic() - started
        app.state.evaluator.pool.shutdown(wait=True)
    assert answer.status_code == 504
    assert answer.json()["errors"][0]["code"] == "E712"
    assert took < 1.5
    assert log.entries() == []


def test_a_body_that_stops_coming_is_408_at_the_timeout(policy: policyrules.Policy) -> None:
    """A client that declares 1,000 bytes, sends 10 and waits (careless, or holding the
    service's connections): answered 408 E725 at `--timeout`, never waited for forever."""
    app = create_app(policy, limits=ServeLimits(timeout=1))
    with served(app) as address, socket.create_connection(address, timeout=10) as client:
        client.sendall(
            b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 1000\r\n\r\n{"firms": ['
        )
        started = time.monotonic()
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            got = client.recv(65536)  # (a timeout here: no answer in 10 s)
            if not got:
                break
            answer += got
        took = time.monotonic() - started
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ")
    assert json.loads(body)["errors"][0]["code"] == "E725"
    assert took < 5


def test_openapi_lists_the_statuses_an_evaluation_may_get(policy: policyrules.Policy) -> None:
    """Every status docs/serve.md gives `POST /v1/evaluate` is in its OpenAPI responses."""
    with TestClient(create_app(policy)) as c:
        responses = c.get("/openapi.json").json()["paths"]["/v1/evaluate"]["post"]["responses"]
    for status in ("200", "400", "403", "408", "409", "413", "415", "503", "504"):
        assert status in responses


def test_every_option_of_serve_is_in_the_readme_and_docs() -> None:
    """`policyrules serve --help`'s options are each in the README's line for serve and in
    docs/serve.md, where a user looks for them."""
    import argparse

    from policyrules.cli_serve import add_serve_command

    parser = argparse.ArgumentParser()
    add_serve_command(parser.add_subparsers())
    serve = parser._subparsers._group_actions[0].choices["serve"]  # type: ignore[union-attr]
    flags = [f for a in serve._actions for f in a.option_strings if f.startswith("--")]
    (line,) = [
        x
        for x in (ROOT / "README.md").read_text("utf-8").splitlines()
        if "policyrules serve POLICY" in x
    ]
    docs = (ROOT / "docs" / "serve.md").read_text("utf-8")
    for flag in flags:
        if flag == "--help":
            continue
        assert f"[{flag}" in line or f"| {flag}" in line, flag
        assert f"`{flag}" in docs, flag


def test_a_request_cancelled_by_a_forced_stop_records_nothing(
    policy: policyrules.Policy, here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C twice stops uvicorn without waiting: it cancels the requests' tasks.  A
    committing evaluation still running then is withdrawn and records neither its grants
    nor its row (it ran on and recorded them, while uvicorn answered 500), and the answer,
    if the connection takes one, is 503 E726 saying nothing was recorded."""
    LedgerStore.open("grants.db", create=True).close()
    log = DecisionLog.open("decisions.sqlite")
    app = create_app(policy, log=log, ledger="grants.db")
    entered, release = threading.Event(), threading.Event()
    real = policyrules.api.Policy.evaluate

    def held(self: policyrules.Policy, *args: Any, **kwargs: Any) -> Any:
        entered.set()
        release.wait(30)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(policyrules.api.Policy, "evaluate", held)
    body = firm_without_grants()
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/evaluate",
        "raw_path": b"/v1/evaluate",
        "query_string": b"commit=1",
        "root_path": "",
        "headers": [(b"content-type", b"application/json")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 8000),
    }

    async def stop_while_running() -> None:
        task = asyncio.ensure_future(app(scope, receive, send))
        while not entered.is_set():
            await asyncio.sleep(0.01)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    # in a thread of its own: an earlier test of the session (Playwright's sync API) may
    # have left an event loop running in this one, where asyncio.run() refuses to start
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, stop_while_running()).result(timeout=60)
    release.set()
    app.state.evaluator.pool.shutdown(wait=True)
    assert log.entries() == []
    with LedgerStore.open("grants.db", create=False) as s:
        assert list(s.grants()) == []
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 503
    body_sent = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert json.loads(body_sent)["errors"][0]["code"] == "E726"


def test_max_connections_1_answers_one_at_a_time(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, here: Path
) -> None:
    """`--max-connections 1`: one connection at a time is answered (uvicorn counts the
    connection asking among those open: given 1, it answered every request 503)."""
    import httpx2

    def talk(port: int) -> int:
        with httpx2.Client(timeout=30) as c:
            return c.get(f"http://127.0.0.1:{port}/v1/health").status_code

    assert served_cli(capsys, monkeypatch, ["--max-connections", "1"], talk) == 200


def test_an_answer_lists_the_first_100_errors_and_counts_the_rest(
    policy: policyrules.Policy,
) -> None:
    """A document of 5,000 products without ids (50 KB; 300,000 of them, 900 KB, were
    answered 166 MB of diagnostics, rendered on the event loop): the first 100 are listed,
    `text` renders them and says how many more there were."""
    products = ",".join(["{}"] * 5000)
    body = f'{{"firms": [{{"id": "a", "name": "y", "products": [{products}]}}]}}'.encode()
    with TestClient(create_app(policy)) as c:
        answer = c.post("/v1/evaluate", content=body, headers=JSON)
    assert answer.status_code == 400
    data = answer.json()
    assert len(data["errors"]) == 100
    assert data["errors"][99]["path"] == "firms[0].products[99]"
    assert data["text"].count("error[E303]") == 100
    assert data["text"].endswith("… and 4,900 more errors, not listed (the first 100 are)")
    assert len(answer.content) < 100_000


def _doc_curls() -> list[str]:
    """The curl commands of docs/serve.md's examples of queries, continuations joined."""
    text = (ROOT / "docs" / "serve.md").read_text("utf-8")
    block = text.split("or let curl do it", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [c for c in block.replace("\\\n", " ").splitlines() if c.startswith("curl ")]


def _as_curl_sends(command: str) -> tuple[str, str, dict[str, str], bytes | None]:
    """(method, path with its query, headers, body) of a curl command as curl sends them:
    ``-H``, ``--data-binary @FILE`` (a POST; the file read from the repository) and
    ``--url-query NAME=VALUE`` (VALUE percent-encoded, as curl encodes it); ``-s`` changes
    nothing sent.  Any other option fails the test, as curl would have been asked something
    this reading does not know (``-G`` once moved the body into the URL)."""
    words = shlex.split(command)
    assert words[0] == "curl"
    headers: dict[str, str] = {}
    body: bytes | None = None
    queries: list[str] = []
    url = None
    rest = iter(words[1:])
    for word in rest:
        if word == "-s":
            continue
        if word == "-H":
            name, _, value = next(rest).partition(":")
            headers[name.strip()] = value.strip()
        elif word == "--data-binary":
            source = next(rest)
            assert source.startswith("@"), command
            body = (ROOT / source[1:]).read_bytes()
        elif word == "--url-query":
            name, _, value = next(rest).partition("=")
            queries.append(f"{name}={quote(value, safe='')}")
        else:
            assert not word.startswith("-"), f"{word}: an option this test does not read"
            assert url is None, command
            url = word
    assert url is not None, command
    assert url.startswith("localhost:8000/"), command
    target = url.removeprefix("localhost:8000")
    if queries:
        target += ("&" if "?" in target else "?") + "&".join(queries)
    return ("GET" if body is None else "POST"), target, headers, body


def test_as_curl_sends_reads_the_options_the_docs_use() -> None:
    """The reading of a curl command the docs' test stands on: ``--url-query`` encodes its
    value (curl's ``curl_easy_escape``: all but letters, digits and ``-._~``), a body makes
    a POST, and an option it does not know fails rather than being passed over."""
    method, target, headers, body = _as_curl_sends(
        "curl -s localhost:8000/v1/explain --url-query 'clause=京 第3条' "
        "-H 'Content-Type: application/yaml' --data-binary @examples/firm-a.yaml"
    )
    assert (method, target) == ("POST", "/v1/explain?clause=%E4%BA%AC%20%E7%AC%AC3%E6%9D%A1")
    assert headers == {"Content-Type": "application/yaml"}
    assert body == FIRM_A.read_bytes()
    assert _as_curl_sends("curl -s 'localhost:8000/v1/x?a=1' --url-query 'set=r=50%'")[:2] == (
        "GET",
        "/v1/x?a=1&set=r%3D50%25",
    )
    with pytest.raises(AssertionError, match="-G: an option this test does not read"):
        _as_curl_sends("curl -s localhost:8000/v1/x -G --data-urlencode a=1")


def test_the_docs_curl_examples_are_answered_200(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    """Each curl command docs/serve.md gives, sent as curl sends it (from the repository, its
    port the test's; :func:`_as_curl_sends`, so no curl is needed) against a service with a
    ledger store, is answered 200.  (Its `-G --data-urlencode` put the facts file into the
    URL: curl refused it; its commit posted firm-a.yaml, which brings earlier grants: 403.)"""
    LedgerStore.open(tmp_path / "grants.db", create=True).close()
    app = create_app(
        policy, log=DecisionLog.open(tmp_path / "d.sqlite"), ledger=tmp_path / "grants.db"
    )
    statuses = {}
    with served(app) as (host, port):
        for command in _doc_curls():
            method, target, headers, body = _as_curl_sends(command)
            connection = http.client.HTTPConnection(host, port, timeout=60)
            try:
                connection.request(method, target, body=body, headers=headers)
                answer = connection.getresponse()
                answer.read()
                statuses[command] = str(answer.status)
            finally:
                connection.close()
    assert statuses == dict.fromkeys(statuses, "200")
    assert len(statuses) >= 4


def test_a_commit_with_the_log_held_elsewhere_names_the_log(
    policy: policyrules.Policy, here: Path
) -> None:
    """The decision log held by another program (a sqlite3 shell in a transaction) while a
    commit waits for its turn: 503 E720 naming the log (it said E332, the ledger store,
    which nobody held); nothing recorded."""
    LedgerStore.open("grants.db", create=True).close()
    log = DecisionLog.open("decisions.sqlite")
    limits = ServeLimits(timeout=1)
    app = create_app(policy, log=log, ledger="grants.db", limits=limits)
    with TestClient(app) as c, held("decisions.sqlite"):
        answer = c.post("/v1/evaluate?commit=1", content=firm_without_grants(), headers=JSON)
    assert answer.status_code == 503
    (err,) = answer.json()["errors"]
    assert err["code"] == "E720"
    assert err["message"].startswith("the service's decision log: the decision log is busy")
    assert log.entries() == []
    with LedgerStore.open("grants.db", create=False) as s:
        assert list(s.grants()) == []


def test_a_compressed_body_is_415_not_taken_for_text(policy: policyrules.Policy) -> None:
    """A gzip body (`Content-Encoding: gzip`) is 415 E710 naming the encoding (it was read
    as the document's text: 400 E301 "not UTF-8 ... save the file as UTF-8")."""
    import gzip

    body = gzip.compress(firm_without_grants())
    headers = {**JSON, "content-encoding": "gzip"}
    with TestClient(create_app(policy)) as c:
        answer = c.post("/v1/evaluate", content=body, headers=headers)
    assert answer.status_code == 415
    (err,) = answer.json()["errors"]
    assert err["code"] == "E710"
    assert "Content-Encoding gzip" in err["message"]


def _row(conn: sqlite3.Connection, n: int) -> None:
    conn.execute(
        "INSERT INTO decisions (id, recorded_at, policy_digest, tool_version, calendar_version,"
        " input_digest, options, assumptions, decisions, eligible, not_eligible, unknown,"
        " granted_fen, committed, ledger) VALUES (?, '', '', '', '', '', '{}', '{}', '[]',"
        " 0, 0, 0, ?, 0, NULL)",
        (f"other-{n}", n),
    )


@pytest.mark.parametrize("commit", [False, True])
def test_a_log_moved_aside_loses_no_row_another_process_wrote(
    policy: policyrules.Policy, here: Path, commit: bool
) -> None:
    """`mv decisions.sqlite old.sqlite` while another worker (--processes) has rows in the
    log's WAL, not yet in the file: the next evaluation is 503 E720 and makes no file at
    the path; moved back, the log has every row.  (A new file was made at the path, took
    the old file's -wal for its own, and the 5 rows were gone from both.)"""
    LedgerStore.open("grants.db", create=True).close()
    log = DecisionLog.open("decisions.sqlite")
    other = sqlite3.connect("decisions.sqlite", isolation_level=None)
    other.execute("PRAGMA wal_autocheckpoint = 0")  # (its rows stay in the WAL)
    for n in range(5):
        _row(other, n)
    app = create_app(policy, log=log, ledger="grants.db")
    with TestClient(app) as c:
        c.post("/v1/evaluate", content=firm_without_grants(), headers=JSON)  # (kept open)
        Path("decisions.sqlite").rename("old.sqlite")
        query = "?commit=1" if commit else ""
        answer = c.post(f"/v1/evaluate{query}", content=firm_without_grants(), headers=JSON)
        made = Path("decisions.sqlite").exists()
        Path("old.sqlite").rename("decisions.sqlite")
    other.close()
    assert answer.status_code == 503
    assert answer.json()["errors"][0]["code"] == "E720"
    assert not made
    assert len(log.entries()) == 6  # the other's 5 and the first evaluation's
    with LedgerStore.open("grants.db", create=False) as s:
        assert list(s.grants()) == []
