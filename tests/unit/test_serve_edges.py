"""`policyrules serve` at its edges: what a stranger's trial found open (statuses, hints,
charsets, connections beyond the limit, slow headers, huge answers)."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

import policyrules
from policyrules.serve import ServeLimits, create_app
from policyrules.store import LedgerStore
from support import served_cli

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
FIRM_A = ROOT / "examples" / "firm-a.yaml"
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


def firm_a() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(FIRM_A.read_text("utf-8"))
    return data


def as_json(data: Any) -> bytes:
    return json.dumps(data, default=str).encode()


def test_a_grant_the_store_records_with_another_amount_is_409(
    policy: policyrules.Policy, tmp_path: Path
) -> None:
    """A document's `ledger:` giving a grant the store records with another amount: 409
    E326, a conflict with the store's record as E331 is (it was 400, as a malformed
    document); the same grant listed twice in the document itself stays 400."""
    LedgerStore.open(tmp_path / "grants.db", create=True).close()
    app = create_app(policy, ledger=tmp_path / "grants.db", import_ledgers=True)
    doc = firm_a()
    first = doc["ledger"][0]
    other = {**doc, "ledger": [{**first, "amount": "150万元"}]}
    twice = {**doc, "ledger": [first, {**first, "amount": "150万元"}]}
    with TestClient(app) as c:
        recorded = c.post("/v1/evaluate?commit=1", content=as_json(doc), headers=JSON)
        against = c.post("/v1/evaluate", content=as_json(other), headers=JSON)
        listed = c.post("/v1/evaluate", content=as_json(twice), headers=JSON)
    assert recorded.status_code == 200
    assert against.status_code == 409
    (err,) = against.json()["errors"]
    assert err["code"] == "E326"
    assert "the service's ledger store" in err["message"]
    assert listed.status_code == 400
    assert listed.json()["errors"][0]["code"] == "E326"


@pytest.mark.parametrize("charset", ["latin-1", "ISO-8859-1", '"utf-16"', "gb2312", ""])
def test_a_charset_other_than_utf_8_is_415(policy: policyrules.Policy, charset: str) -> None:
    """`Content-Type: application/yaml; charset=latin-1` is 415 E710 naming the charset (it
    was read as UTF-8: 北京 sent in GB 2312 became a 400 "not UTF-8", and a latin-1 é a
    wrong character or an E301); RFC 8259 §8.1: JSON between systems is UTF-8."""
    body = "firms:\n  - id: a\n    name: Café\n".encode("latin-1")
    headers = {"content-type": f"application/yaml; charset={charset}"}
    with TestClient(create_app(policy)) as c:
        answer = c.post("/v1/evaluate", content=body, headers=headers)
    assert answer.status_code == 415
    (err,) = answer.json()["errors"]
    assert err["code"] == "E710"
    assert "UTF-8" in err["message"]
    assert "UTF-8" in err["hint"]


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", '"utf-8"', "utf8"])
def test_a_utf_8_charset_is_read(policy: policyrules.Policy, charset: str) -> None:
    """`charset=utf-8` (any case, quoted or not) is read as UTF-8, as no charset is."""
    body = as_json({"firms": [{"id": "a", "name": "北京"}]})
    headers = {"content-type": f"application/json; charset={charset}"}
    with TestClient(create_app(policy)) as c:
        answer = c.post("/v1/evaluate", content=body, headers=headers)
    assert answer.status_code == 200


def answer_of(client: socket.socket) -> tuple[bytes, bytes]:
    """The head and body of one answer read from ``client`` (up to the connection's end)."""
    got = b""
    while chunk := client.recv(65536):  # (a timeout here: no end of the answer in 30 s)
        got += chunk
    head, _, body = got.partition(b"\r\n\r\n")
    return head, body


def test_a_request_beyond_max_connections_is_503_json_with_retry_after(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--max-connections 1`, one connection open: a request on a second is answered 503
    E727 in the service's JSON, with `Retry-After` (uvicorn answered `Service Unavailable`
    in plain text), and the connection is closed."""

    def talk(port: int) -> tuple[bytes, bytes]:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as holding:
            holding.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n")  # (not ended)
            with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
                client.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
                return answer_of(client)

    head, body = served_cli(capsys, monkeypatch, ["--max-connections", "1"], talk)
    lines = head.decode().lower().split("\r\n")
    assert lines[0].startswith("http/1.1 503 ")
    assert "content-type: application/json" in lines
    assert "retry-after: 1" in lines
    (err,) = json.loads(body)["errors"]
    assert err["code"] == "E727"
    assert "1 at once" in err["message"]
    assert "--max-connections" in err["hint"]


@pytest.mark.parametrize("sent", [b"GET /v1/hea", b"GET /v1/health HTTP/1.1\r\nHost: x\r\n", b""])
def test_a_connection_whose_headers_are_late_is_closed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sent: bytes
) -> None:
    """A client that sends half a request line (or the headers without their end, or
    nothing) and waits loses its connection after `--header-timeout` (uvicorn kept it open
    as long as the client did: slowloris); a client that sends its request is answered."""

    def talk(port: int) -> tuple[bytes, bytes]:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as slow:
            slow.sendall(sent)
            try:
                late = slow.recv(65536)  # (a timeout here: still open after 30 s)
            except ConnectionResetError:
                late = b""
        with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
            client.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            head, _ = answer_of(client)
        return late, head

    late, head = served_cli(capsys, monkeypatch, ["--header-timeout", "0.5"], talk)
    assert late == b""
    assert head.startswith(b"HTTP/1.1 200 ")


@pytest.mark.parametrize("commit", [False, True])
def test_an_answer_of_too_many_decisions_is_422_before_it_is_made(
    policy: policyrules.Policy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, commit: bool
) -> None:
    """A small body of many subjects (4 MB answered ~500 MB): more decisions than
    `max_decisions` is 422 E728 naming the count and the limit, its JSON never made, and with
    commit=1 nothing recorded; /v1/explain counts its clause's decisions only."""
    import policyrules.result

    LedgerStore.open(tmp_path / "grants.db", create=True).close()
    doc = firm_a()
    del doc["ledger"]
    doc["firms"] = [{**doc["firms"][0], "id": f"firm-{i}"} for i in range(3)]  # 93 decisions
    limits = ServeLimits(max_decisions=50)
    app = create_app(policy, limits=limits, ledger=tmp_path / "grants.db")
    made = []
    real = policyrules.result.Result.to_json

    def to_json(self: policyrules.result.Result, **kwargs: Any) -> dict[str, object]:
        made.append(self)
        return real(self, **kwargs)

    monkeypatch.setattr(policyrules.result.Result, "to_json", to_json)
    query = "?commit=1" if commit else ""
    with TestClient(app) as c:
        answer = c.post(f"/v1/evaluate{query}", content=as_json(doc), headers=JSON)
        made_then = list(made)
        one = c.post("/v1/explain?clause=jjxf_2025_50/3", content=as_json(doc), headers=JSON)
    assert answer.status_code == 422
    (err,) = answer.json()["errors"]
    assert err["code"] == "E728"
    assert "93 decisions" in err["message"]
    assert "limit of 50" in err["message"]
    assert "--max-decisions" in err["hint"]
    assert made_then == []
    with LedgerStore.open(tmp_path / "grants.db", create=False) as s:
        assert list(s.grants()) == []
    assert one.status_code == 200


YAML = {"content-type": "application/yaml"}


@pytest.mark.parametrize(
    ("code", "query", "body", "headers"),
    [
        ("E300", "?set=rate", b"{}", JSON),
        ("E302", "", b'{"firms": [', JSON),
        ("E302", "", b"", JSON),
        ("E302", "", b'{"firms": [], "firms": []}', JSON),
        ("E302", "", b"firms: [", YAML),
        ("E303", "", b'{"firms": 3}', JSON),
        ("E303", "", b'{"firms": [3]}', JSON),
        ("E303", "", b'{"firms": [{"id": "a"}, {"id": "a"}]}', JSON),
        ("E303", "", b'{"firms": [{"id": "a", "zzzzzzzzzz": 1}]}', JSON),
        ("E304", "?set=nosuch=1", b"{}", JSON),
        ("E304", "?assume=nosuch=1", b"{}", JSON),
        ("E305", "", b'{"parameters": 3}', JSON),
    ],
)
def test_each_refusal_of_a_document_has_a_hint(
    policy: policyrules.Policy, code: str, query: str, body: bytes, headers: dict[str, str]
) -> None:
    """E300 and E302-E305 as the service answers them each say what to do (their hint was
    null: a NAME=VALUE without its =, JSON or YAML that does not parse, an empty body, a
    list that is not one, an id used twice, an unknown fact or parameter with no close name,
    parameters that are not a mapping)."""
    with TestClient(create_app(policy)) as c:
        answer = c.post(f"/v1/evaluate{query}", content=body, headers=headers)
    assert answer.status_code == 400
    err = answer.json()["errors"][0]
    assert err["code"] == code
    assert err["hint"]


@pytest.mark.parametrize(
    "sent", [b"HELLO\r\n\r\n", b"GET /v1/health HTTP/1.1\r\nNo colon here\r\n\r\n"]
)
def test_a_request_that_is_not_http_is_400_json(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sent: bytes
) -> None:
    """No request line, or a header without its colon: 400 E729 in the service's JSON, the
    connection closed (uvicorn answered `Invalid HTTP request received.` in plain text)."""

    def talk(port: int) -> tuple[bytes, bytes]:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
            client.sendall(sent)
            return answer_of(client)

    head, body = served_cli(capsys, monkeypatch, [], talk)
    lines = head.decode().lower().split("\r\n")
    assert lines[0].startswith("http/1.1 400 ")
    assert "content-type: application/json" in lines
    assert f"content-length: {len(body)}" in lines
    (err,) = json.loads(body)["errors"]
    assert err["code"] == "E729"
    assert err["message"].startswith("not an HTTP/1.1 request: ")
    assert "HTTP/1.1" in err["hint"]
