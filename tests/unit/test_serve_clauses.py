"""The service finds a clause as ``policyrules explain`` does: ``GET /v1/clauses/{clause}``
and ``POST /v1/explain?clause=`` take every form the command takes (``第3条``, ``（十九）``
as the Chinese text prints it, a document's number before a label) and, for one that names
no clause, answer 404 E714 with the command's suggestions (a title's words find it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient
from tests.support import run_cli

import policyrules
from policyrules.serve import create_app

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
# A firm with decisions under each clause below.
FACTS = {
    "jjxf_2025_50/3": ROOT / "examples" / "firm-a.yaml",
    "jybf_2025_5/(十九)": ROOT / "examples" / "drugmaker-d.yaml",
}
YAML = {"content-type": "application/yaml"}

# Each form `explain` takes, and the clause it names.
FORMS = [
    ("3", "jjxf_2025_50/3"),
    ("第3条", "jjxf_2025_50/3"),
    (" 第3条 ", "jjxf_2025_50/3"),
    ("jjxf_2025_50/3", "jjxf_2025_50/3"),
    ("京经信发〔2025〕50号 第3条", "jjxf_2025_50/3"),
    ("(十九)", "jybf_2025_5/(十九)"),
    ("（十九）", "jybf_2025_5/(十九)"),
    ("十九", "jybf_2025_5/(十九)"),
    ("京医保发〔2025〕5号（十九）", "jybf_2025_5/(十九)"),
    ("京医保发〔2025〕5号 （十九）", "jybf_2025_5/(十九)"),
]


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(policyrules.load(POLICY))) as c:
        yield c


def _cli_ids(capsys: pytest.CaptureFixture[str], policy: Path, wanted: str) -> list[str]:
    code, out, err = run_cli(capsys, "explain", policy, wanted, "--format", "json")
    assert code == 0, err
    return [cl["id"] for cl in json.loads(out)["clauses"]]


def _cli_hint(capsys: pytest.CaptureFixture[str], policy: Path, wanted: str) -> str:
    code, _, err = run_cli(capsys, "explain", policy, wanted)
    assert code == 2
    return err.split("= hint: ", 1)[1].strip()


@pytest.mark.parametrize(("wanted", "clause"), FORMS)
def test_a_clause_by_any_form_explain_takes(
    client: TestClient, capsys: pytest.CaptureFixture[str], wanted: str, clause: str
) -> None:
    answer = client.get(f"/v1/clauses/{quote(wanted)}")
    assert answer.status_code == 200, answer.text
    ids = [cl["id"] for cl in answer.json()["clauses"]]
    assert ids == [clause] == _cli_ids(capsys, POLICY, wanted)


@pytest.mark.parametrize(("wanted", "clause"), FORMS)
def test_explain_by_any_form_explain_takes(client: TestClient, wanted: str, clause: str) -> None:
    facts = FACTS[clause].read_bytes()
    answer = client.post("/v1/explain", params={"clause": wanted}, content=facts, headers=YAML)
    assert answer.status_code == 200, answer.text
    decisions = answer.json()["decisions"]
    assert decisions
    assert {d["provision"].rsplit("/", 1)[0] for d in decisions} == {clause}
    if clause == "jjxf_2025_50/3":  # firm-a's three launch rewards, A3 cut to 50 万
        assert [d["amount"] for d in decisions] == ["2000000.00", "1500000.00", "500000.00"]


@pytest.mark.parametrize(
    ("wanted", "suggested"),
    [
        ("境外上市", "京经信发〔2025〕50号 第13条 境外上市注册支持 (jjxf_2025_50/13)"),
        ("jjxf_2025_50/33", "京经信发〔2025〕50号 第3条 创新产品上市奖励 (jjxf_2025_50/3)"),
        # (京医保发 has no 33rd: the other's 第3条 is offered; its 第3条 is its （三）)
        ("京医保发〔2025〕5号 第33条", "第3条 创新产品上市奖励 (jjxf_2025_50/3)"),
    ],
)
def test_no_such_clause_suggests_as_explain_does(
    client: TestClient, capsys: pytest.CaptureFixture[str], wanted: str, suggested: str
) -> None:
    hint = _cli_hint(capsys, POLICY, wanted)
    assert suggested in hint
    for answer in (
        client.get(f"/v1/clauses/{quote(wanted)}"),
        client.post("/v1/explain", params={"clause": wanted}, content=b"{}", headers=YAML),
    ):
        assert answer.status_code == 404
        (error,) = answer.json()["errors"]
        assert (error["code"], error["message"]) == ("E714", f"no clause {wanted!r}")
        assert error["hint"] == hint


def test_nothing_close_points_at_the_list(client: TestClient) -> None:
    """Where the command names `policyrules coverage`, the service names its own list."""
    (error,) = client.get("/v1/clauses/zzz").json()["errors"]
    assert error["hint"] == "no label is close; GET /v1/clauses lists every clause"


def test_a_label_of_two_documents_is_refused_as_explain_refuses_it(tmp_path: Path) -> None:
    """``d12`` with documents ``d`` and ``d1``: 400 E735 with both spellings, never a guess."""
    (tmp_path / "d.rule").write_text('document d "甲"\n\nclause 12 "十二"\n  quote "q"\n', "utf-8")
    (tmp_path / "d1.rule").write_text('document d1 "乙"\n\nclause 2 "二"\n  quote "q"\n', "utf-8")
    with TestClient(create_app(policyrules.load(tmp_path))) as c:
        answer = c.get("/v1/clauses/d12")
        assert answer.status_code == 400
        (error,) = answer.json()["errors"]
        assert error["code"] == "E735"
        assert "(`d 12`, `d1 2`) or the clause's id (`d/12`, `d1/2`)" in error["hint"]
        assert [cl["id"] for cl in c.get("/v1/clauses/d%2012").json()["clauses"]] == ["d/12"]
