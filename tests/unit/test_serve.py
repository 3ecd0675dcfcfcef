"""`policyrules serve`: the answers are the command line's, bad input gets its diagnostics."""

from __future__ import annotations

import hashlib
import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from starlette.testclient import TestClient
from tests.support import run_cli

import policyrules
from policyrules.coverage import coverage_json
from policyrules.serve import ServeLimits, create_app
from policyrules.serve_log import DecisionLog

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
FIRM_A = ROOT / "examples" / "firm-a.yaml"
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


def firm_a_json() -> bytes:
    """examples/firm-a.yaml as a JSON document (its dates as text, as JSON writes them)."""
    return json.dumps(yaml.safe_load(FIRM_A.read_text("utf-8")), default=str).encode()


@pytest.fixture
def log(tmp_path: Path) -> DecisionLog:
    return DecisionLog.open(tmp_path / "decisions.sqlite")


@pytest.fixture
def client(policy: policyrules.Policy, log: DecisionLog) -> Iterator[TestClient]:
    with TestClient(create_app(policy, log=log)) as c:
        yield c


def _errors(answer: Any) -> list[dict[str, Any]]:
    assert "Traceback" not in answer.text
    data: list[dict[str, Any]] = answer.json()["errors"]
    return data


@pytest.mark.parametrize(
    ("query", "flags"),
    [
        ("", []),
        (
            "?set=overseas_support_rate%3D50%25&as_of=2026-12-31&assume=holiday_schedule%3Dweekends_only",
            [
                "--set",
                "overseas_support_rate=50%",
                "--as-of",
                "2026-12-31",
                "--assume",
                "holiday_schedule=weekends_only",
            ],
        ),
    ],
)
def test_evaluate_answers_exactly_what_eval_json_prints(
    client: TestClient,
    log: DecisionLog,
    capsys: pytest.CaptureFixture[str],
    query: str,
    flags: list[str],
) -> None:
    """POST /v1/evaluate answers the bytes `eval --json` prints for the same document and
    options (provenance included), and logs the evaluation under the answer's id."""
    body = firm_a_json()
    answer = client.post(f"/v1/evaluate{query}", content=body, headers=JSON)
    code, out, _ = run_cli(capsys, "eval", POLICY, FIRM_A, "--json", *flags)
    assert (answer.status_code, code) == (200, 0)
    assert answer.content.decode() == out
    (entry,) = log.entries()
    assert entry["id"] == answer.headers["x-decision-id"]
    assert entry["input_digest"] == "sha256:" + hashlib.sha256(body).hexdigest()
    assert entry["committed"] == 0
    options = json.loads(entry["options"])
    assert options == json.loads(out)["provenance"]["options"]


def test_yaml_body_is_read_as_a_facts_file(client: TestClient) -> None:
    """A YAML body (application/yaml) gives the same decisions as the same facts in JSON."""
    as_yaml = client.post(
        "/v1/evaluate", content=FIRM_A.read_bytes(), headers={"content-type": "application/yaml"}
    )
    as_json = client.post("/v1/evaluate", content=firm_a_json(), headers=JSON)
    assert as_yaml.status_code == as_json.status_code == 200
    assert as_yaml.json() == as_json.json()


def test_log_row_holds_the_decisions_in_brief(client: TestClient, log: DecisionLog) -> None:
    """The row counts statuses and sums the grants in fen: with overseas_support_rate=50%,
    firm-a is granted A1 200 万 + A2 150 万 + A3 50 万 (the 1000 万 firm-year cap, 600 万
    used before) + J1 2400 万 (30% × 8000 万) + A1 overseas 60 万 (50% × 120 万)
    = 2860 万元 = 2,860,000,000 fen."""
    answer = client.post(
        "/v1/evaluate?set=overseas_support_rate%3D50%25", content=firm_a_json(), headers=JSON
    )
    assert answer.status_code == 200
    (entry,) = log.entries()
    assert entry["granted_fen"] == 2_860_000_000
    statuses = [d["status"] for d in answer.json()["decisions"]]
    assert (entry["eligible"], entry["not_eligible"], entry["unknown"]) == (
        statuses.count("eligible"),
        statuses.count("not_eligible"),
        statuses.count("unknown"),
    )
    brief = json.loads(entry["decisions"])
    assert ["jjxf_2025_50/3/launch_reward", "firm-a/A3", "eligible", "500000.00", "exact"] in brief
    assert entry["policy_digest"] == answer.json()["provenance"]["policy"]["digest"]
    assert entry["calendar_version"] == "1.11.0"  # the pinned chinesecalendar


DEEP = b'{"firms": ' + b"[" * 300 + b"]" * 300 + b"}"


@pytest.mark.parametrize(
    ("body", "kind", "status", "code", "path", "place"),
    [
        (b"{garbage", "application/json", 400, "E302", None, (1, 2)),
        (b"{}", "text/plain", 415, "E710", None, None),
        (b"{}", "", 415, "E710", None, None),
        # `{"firms": ` is 10 characters; the object is level 1, so the 100th `[` (column 110)
        # is level 101, the first too deep.
        (DEEP, "application/json", 400, "E308", None, (1, 110)),
        # `"bogus"` starts at column 24: `{"firms": [{"id": "f", ` is 23 characters.
        (
            b'{"firms": [{"id": "f", "bogus": 1}]}',
            "application/json",
            400,
            "E303",
            "firms[0].bogus",
            (1, 24),
        ),
        (
            b'{"firms": [{"id": "f", "products": [{"id": "p", "approved_on": "2025-13-01"}]}]}',
            "application/json",
            400,
            "E313",
            "firms[0].products[0].approved_on",
            # the value, as in a file: 63 characters come before `"2025-13-01"`.
            (1, 64),
        ),
        (b"\xff\xfe", "application/json", 400, "E301", None, None),
        (b"[1, 2]", "application/json", 400, "E303", None, None),
    ],
)
def test_bad_documents_get_the_command_lines_diagnostics(
    client: TestClient,
    log: DecisionLog,
    body: bytes,
    kind: str,
    status: int,
    code: str,
    path: str | None,
    place: tuple[int, int] | None,
) -> None:
    """Each bad body is a 4xx with the code, the place in the document, the message and the
    command line's own rendering; nothing is logged."""
    headers = {"content-type": kind} if kind else {}
    answer = client.post("/v1/evaluate", content=body, headers=headers)
    assert answer.status_code == status
    (err,) = _errors(answer)
    assert err["code"] == code
    assert err["path"] == path
    if place is not None:
        assert (err["line"], err["col"]) == place
        assert answer.json()["text"].startswith(f"request.json:{place[0]}:{place[1]}: ")
    assert log.entries() == []


def test_a_huge_number_is_quoted_as_an_excerpt(client: TestClient) -> None:
    """A 100,001-digit amount is refused (400 E303) by its first 40 digits and its length,
    not echoed whole: the answer stays small."""
    product = b'{"id": "p", "registration_cost": ' + b"1" * 100_001 + b"}"
    body = b'{"firms": [{"id": "f", "products": [' + product + b"]}]}"
    answer = client.post("/v1/evaluate", content=body, headers=JSON)
    assert answer.status_code == 400
    (err,) = _errors(answer)
    assert (err["code"], err["path"]) == ("E303", "firms[0].products[0].registration_cost")
    assert err["message"] == (
        "firms[0].products[0].registration_cost: an amount of 10^37 元 or more: "
        + "1" * 40
        + "… (100001 digits)"
    )
    assert "万元" in (err["hint"] or "")  # how to write one (hBP: the hint was null)
    assert len(answer.content) < 2000


def test_huge_body_is_refused_with_413(policy: policyrules.Policy) -> None:
    """A body over the bound is refused, declared (Content-Length) or streamed (chunked)."""
    limits = ServeLimits(max_body_bytes=1000)
    with TestClient(create_app(policy, limits=limits)) as c:
        declared = c.post("/v1/evaluate", content=b" " * 1001, headers=JSON)
        streamed = c.post("/v1/evaluate", content=iter([b" " * 600, b" " * 600]), headers=JSON)
        fits = c.post("/v1/evaluate", content=b'{"firms": []}' + b" " * 987, headers=JSON)
    assert [_errors(a)[0]["code"] for a in (declared, streamed)] == ["E711", "E711"]
    assert (declared.status_code, streamed.status_code, fits.status_code) == (413, 413, 200)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("?commt=1", "E715"),
        ("?commit=yes", "E715"),
        ("?set=overseas_support_rate", "E300"),
        ("?set=no_such_param%3D1", "E304"),
        ("?as_of=2026-02-30", "E313"),
        ("?assume=holiday_schedule%3Dsometimes", "E305"),
        ("?commit=1", "E716"),
    ],
)
def test_bad_options_are_refused_with_a_diagnostic(
    client: TestClient, query: str, code: str
) -> None:
    """Options are read as the command line reads its flags, with its codes; commit without
    a ledger store is refused (409)."""
    answer = client.post(f"/v1/evaluate{query}", content=firm_a_json(), headers=JSON)
    assert answer.status_code == (409 if code == "E716" else 400)
    assert _errors(answer)[0]["code"] == code


def test_unknown_query_parameter_suggests_the_closest(client: TestClient) -> None:
    answer = client.post("/v1/evaluate?commt=1", content=b"{}", headers=JSON)
    assert _errors(answer)[0]["hint"] == "did you mean 'commit'?"


def test_routes_and_methods_answer_json(client: TestClient) -> None:
    """An unknown route is 404 E717 and a wrong method 405 E718, as JSON."""
    missing, wrong = client.get("/v2/evaluate"), client.get("/v1/evaluate")
    assert (missing.status_code, _errors(missing)[0]["code"]) == (404, "E717")
    assert (wrong.status_code, _errors(wrong)[0]["code"]) == (405, "E718")


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", "/v1/evaluate", "POST"),
        ("PUT", "/v1/explain", "POST"),
        ("POST", "/v1/health", "GET, HEAD"),
        ("DELETE", "/v1/clauses/3", "GET, HEAD"),
        ("POST", "/calculator/", "GET, HEAD"),
    ],
)
def test_a_wrong_method_is_405_with_allow(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    """RFC 9110 §15.5.6: a 405 names the route's methods in `Allow`; the body is the
    service's JSON error (E718), naming them too."""
    answer = client.request(method, path)
    assert answer.status_code == 405
    assert answer.headers["allow"] == allow
    (err,) = _errors(answer)
    assert err["code"] == "E718"
    assert err["message"] == f"{method} {path}: method not allowed (allowed: {allow})"


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("?commit=1&commit=0", "commit"),
        ("?commit=0&commit=0", "commit"),
        ("?all_earlier=0&all_earlier=1", "all_earlier"),
        ("?as_of=2026-06-30&as_of=2026-12-31", "as_of"),
    ],
)
def test_a_query_parameter_given_twice_is_refused(
    client: TestClient, log: DecisionLog, query: str, name: str
) -> None:
    """`?commit=1&commit=0` is refused (400 E715 naming it), never read as one of the two;
    nothing is evaluated or logged.  `set` and `assume` repeat, one name each."""
    answer = client.post(f"/v1/evaluate{query}", content=firm_a_json(), headers=JSON)
    assert answer.status_code == 400
    (err,) = _errors(answer)
    assert (err["code"], err["message"]) == ("E715", f"query parameter '{name}' given 2 times")
    assert err["hint"] == f"give {name} once"
    assert log.entries() == []
    explained = client.post(
        "/v1/explain?clause=3&clause=jjxf_2025_50/3", content=firm_a_json(), headers=JSON
    )
    assert (explained.status_code, _errors(explained)[0]["code"]) == (400, "E715")
    both = "?set=overseas_support_rate%3D50%25&set=rd_reward_rate%3D10%25"
    assert client.post(f"/v1/evaluate{both}", content=firm_a_json(), headers=JSON).is_success


def test_explain_with_commit_says_where_to_record(client: TestClient, log: DecisionLog) -> None:
    """/v1/explain records nothing: with commit=1 it is refused (400 E715), its hint naming
    the route that records (hBP: the hint was null)."""
    answer = client.post("/v1/explain?clause=3&commit=1", content=firm_a_json(), headers=JSON)
    assert answer.status_code == 400
    (err,) = _errors(answer)
    assert (err["code"], err["message"]) == ("E715", "explain records nothing: leave out commit")
    assert err["hint"] == "to record the grants, POST the document to /v1/evaluate?commit=1"
    assert log.entries() == []


def test_every_text_answer_says_utf_8(
    policy: policyrules.Policy, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Answers carry Chinese: each `text/*` answer (the calculator's page, script, style)
    says `charset=utf-8`; JSON answers, errors included, are `application/json` in UTF-8,
    which has no charset parameter (RFC 8259 §8.1, §11)."""
    answers = [
        client.get("/v1/health"),
        client.get("/v1/clauses/3"),
        client.get("/v1/schema"),
        client.get("/calculator/labels.json"),
        client.post("/v1/evaluate", content=firm_a_json(), headers=JSON),
        client.post("/v1/explain?clause=3", content=firm_a_json(), headers=JSON),
        client.post("/v1/evaluate", content=b"{garbage", headers=JSON),  # 400
        client.post("/v1/evaluate", content=b"{}", headers={"content-type": "text/plain"}),
        client.get("/v1/clauses/不存在"),  # 404
        client.get("/v1/evaluate"),  # 405
    ]
    texts = [client.get(f"/calculator/{name}") for name in ("", "calculator.js", "calculator.css")]
    monkeypatch.setattr(policyrules.api.Policy, "evaluate", lambda *a, **k: 1 // 0)
    with TestClient(create_app(policy), raise_server_exceptions=False) as c:
        answers.append(c.post("/v1/evaluate", content=b"{}", headers=JSON))  # 500
    assert [a.status_code for a in answers] == [200] * 6 + [400, 415, 404, 405, 500]
    assert {a.headers["content-type"] for a in answers} == {"application/json"}
    assert [t.headers["content-type"] for t in texts] == [
        "text/html; charset=utf-8",
        "text/javascript; charset=utf-8",
        "text/css; charset=utf-8",
    ]
    assert "京经信发〔2025〕50号" in answers[1].content.decode("utf-8")


def test_unexpected_failure_is_a_json_500_without_traceback(
    policy: policyrules.Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug (here a planted ZeroDivisionError) is answered 500 E719, its type named and no
    traceback shown."""

    def broken(*args: Any, **kwargs: Any) -> Any:
        return 1 // 0

    monkeypatch.setattr(policyrules.api.Policy, "evaluate", broken)
    with TestClient(create_app(policy), raise_server_exceptions=False) as c:
        answer = c.post("/v1/evaluate", content=b"{}", headers=JSON)
    assert answer.status_code == 500
    (err,) = _errors(answer)
    assert err["code"] == "E719"
    assert "ZeroDivisionError" in err["message"]


def test_fixed_routes(client: TestClient, policy: policyrules.Policy) -> None:
    """schema, coverage, clauses, health and version answer what the CLI and library give."""
    assert client.get("/v1/schema").json() == policy.schema()
    coverage = json.loads(json.dumps(coverage_json(policy.checked)))  # tuples become lists
    assert client.get("/v1/coverage").json() == coverage
    assert client.get("/v1/health").json() == {"status": "ok"}
    clauses = client.get("/v1/clauses").json()["clauses"]
    assert len(clauses) == 47  # 15 measures of 京经信发〔2025〕50号 + 32 of 京医保发〔2025〕5号
    version = client.get("/v1/version").json()
    assert version["version"] == policyrules.__version__
    assert version["calendar"]["package"] == "chinesecalendar"
    assert "options" not in version
    assert client.get("/v1/schema").headers["x-policy-digest"] == version["policy"]["digest"]


def test_one_clause_by_id_or_label(client: TestClient) -> None:
    """A clause by id or by label is that clause with its quote and encoding (as `explain`
    finds it); an unknown one is 404 with the closest clause suggested."""
    (one,) = client.get("/v1/clauses/jjxf_2025_50/3").json()["clauses"]
    assert one["document_number"] == "京经信发〔2025〕50号"
    assert one["quote"].startswith("对承担工业和信息化部揭榜挂帅等国家项目")
    assert "cap 200 万元 per product" in one["encoding"]
    assert [p["id"] for p in one["provisions"]] == ["jjxf_2025_50/3/launch_reward"]
    assert client.get("/v1/clauses/3").json()["clauses"] == [one]
    (nineteenth,) = client.get("/v1/clauses/(十九)").json()["clauses"]
    assert nineteenth["document_number"] == "京医保发〔2025〕5号"
    missing = client.get("/v1/clauses/jjxf_2025_50/33")
    assert missing.status_code == 404
    hint = _errors(missing)[0]["hint"]  # explain's suggestions (test_serve_clauses.py)
    assert hint.startswith("did you mean 京经信发〔2025〕50号 第3条 创新产品上市奖励")


def test_explain_answers_one_clauses_decisions_with_text(
    client: TestClient, log: DecisionLog
) -> None:
    """POST /v1/explain?clause=jjxf_2025_50/3: the three launch rewards of firm-a, each with
    its explanation; A3's 200 万 is cut to 50 万 by the 1000 万 firm-year cap."""
    answer = client.post("/v1/explain?clause=jjxf_2025_50/3", content=firm_a_json(), headers=JSON)
    decisions = answer.json()["decisions"]
    assert [(d["subject"], d["amount"]) for d in decisions] == [
        ("firm-a/A1", "2000000.00"),
        ("firm-a/A2", "1500000.00"),
        ("firm-a/A3", "500000.00"),
    ]
    assert all("创新医疗器械" in d["text"] for d in decisions)
    assert "provenance" in answer.json()
    assert len(log.entries()) == 1
    no_clause = client.post("/v1/explain", content=b"{}", headers=JSON)
    assert _errors(no_clause)[0]["code"] == "E715"


def test_openapi_document_embeds_the_facts_schema(
    client: TestClient, policy: policyrules.Policy
) -> None:
    """/openapi.json is OpenAPI 3.1 with every route of the app, and its Facts schema is
    the policy's own: the example firm's facts validate against it."""
    doc = client.get("/openapi.json").json()
    assert doc["openapi"] == "3.1.0"
    assert client.get("/v1/openapi.json").json() == doc
    # every route of the app with its methods, and no other (the calculator page's were
    # missing): Starlette's {clause:path} is OpenAPI's {clause}, HEAD goes with each GET
    routes = {
        re.sub(r"\{(\w+):\w+\}", r"{\1}", r.path): {m.lower() for m in r.methods} - {"head"}
        for r in client.app.routes  # type: ignore[attr-defined]
    }
    assert {path: set(item) for path, item in doc["paths"].items()} == routes
    assert {"/v1/evaluate", "/", "/calculator/", "/calculator/{asset}"} <= set(routes)
    # every answer the service gives a route is declared (hBP: 405 E718 and 500 E719 were
    # not): the POSTs' refusals, and a GET's wrong method and fault of its own
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            codes = set(op["responses"])
            assert {"200" if path != "/" else "307", "405", "500"} <= codes, (path, method)
            if method == "post":
                assert {"400", "413", "415", "422", "503", "504"} <= codes, path
    facts_schema = doc["components"]["schemas"]["Facts"]
    assert facts_schema == policy.schema()
    jsonschema.validate(json.loads(firm_a_json()), facts_schema)
    result = client.post("/v1/evaluate", content=firm_a_json(), headers=JSON).json()
    jsonschema.validate(
        result, {**doc["components"]["schemas"]["Result"], "components": doc["components"]}
    )


def test_openapi_describes_the_calculator_pages(client: TestClient) -> None:
    """The page's routes answer as the document says: / a 307 to /calculator/, the page
    HTML, each file of the enum by a declared media type, another name 404 E717."""
    paths = client.get("/openapi.json").json()["paths"]
    home = paths["/"]["get"]["responses"]["307"]["headers"]["Location"]["schema"]["const"]
    answer = client.get("/", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (307, home)
    page = paths["/calculator/"]["get"]["responses"]["200"]["content"]
    answer = client.get("/calculator/")
    assert (answer.status_code, set(page)) == (200, {"text/html"})
    assert answer.headers["content-type"].split(";")[0] == "text/html"
    op = paths["/calculator/{asset}"]["get"]
    (asset,) = op["parameters"]
    assert (asset["in"], asset["required"]) == ("path", True)
    declared = set(op["responses"]["200"]["content"])
    for name in asset["schema"]["enum"]:
        answer = client.get(f"/calculator/{name}")
        assert answer.status_code == 200, name
        assert answer.headers["content-type"].split(";")[0] in declared, name
    assert "labels.json" in asset["schema"]["enum"]
    assert _errors(client.get("/calculator/nothing.js"))[0]["code"] == "E717"
    assert "404" in op["responses"]


def test_serve_without_its_extra_says_so(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without Starlette/uvicorn, `policyrules serve` is E721 naming the extra, exit 2."""
    import builtins

    real = builtins.__import__

    def no_uvicorn(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "uvicorn":
            raise ImportError("no uvicorn", name="uvicorn")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_uvicorn)
    code, _, err = run_cli(capsys, "serve", POLICY)
    assert code == 2
    assert "error[E721]" in err
    assert "policyrules[serve]" in err


def test_serve_command_starts_uvicorn_with_the_options(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`policyrules serve` builds the app with its bounds and hands it to uvicorn; a
    missing ledger store is refused before anything listens (E336, exit 2)."""
    import uvicorn

    seen: dict[str, Any] = {}

    def run(server: uvicorn.Server, sockets: list[socket.socket]) -> None:
        (sock,) = sockets
        seen.update(config=server.config, port=sock.getsockname()[1], listening=sock.fileno())

    monkeypatch.setattr(uvicorn.Server, "run", run)
    log = tmp_path / "d.sqlite"
    code, out, _ = run_cli(
        capsys, "serve", POLICY, "--port", "0", "--log", log, "--timeout", "2.5",
        "--workers", "2", "--max-body-mb", "0.5", "--max-connections", "7",
    )  # fmt: skip
    assert code == 0
    assert seen["port"] > 0
    assert seen["listening"] >= 0  # the socket was open while served
    assert f"http://127.0.0.1:{seen['port']}/v1/" in out
    config = seen["config"]
    assert (config.host, config.port, config.limit_concurrency) == ("127.0.0.1", seen["port"], 8)
    limits = config.app.state.evaluator.limits
    assert limits == ServeLimits(max_body_bytes=2**19, max_depth=100, timeout=2.5, workers=2)
    assert log.exists()
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(capsys, "serve", POLICY, "--ledger", tmp_path / "none.db")
    assert code == 2
    assert "error[E336]" in err
    assert not (tmp_path / "decisions.sqlite").exists()  # no log made for a refused start


def test_serve_on_a_port_in_use_says_so_in_one_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A port another program listens on (a real socket): one error, E723, naming the
    address, "already in use" and --port; exit 2, as for any input the command cannot
    use; nothing served, no log made."""
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        log = tmp_path / "d.sqlite"
        code, out, err = run_cli(capsys, "serve", POLICY, "--port", str(port), "--log", log)
    assert code == 2
    assert out == ""
    first, hint = err.splitlines()
    assert first == f"error[E723]: cannot listen on 127.0.0.1:{port}: the address is already in use"
    assert "--port" in hint
    assert not log.exists()
    with pytest.raises(SystemExit) as usage:  # argparse's usage error
        run_cli(capsys, "serve", POLICY, "--port", "65536")
    assert usage.value.code == 2
    assert "'65536' is not a port (0 to 65535)" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--timeout", "--max-body-mb"])
@pytest.mark.parametrize("value", ["inf", "nan"])
def test_serve_refuses_a_number_without_bound(
    capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    """A review: `--timeout inf` was a ValueError traceback (store_wait = inf / 2)."""
    with pytest.raises(SystemExit) as info:
        run_cli(capsys, "serve", POLICY, option, value)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"'{value}' is not" in err
