"""The service's errors speak its terms: the request's ``assumptions`` and the query's
``assume=``, not ``--assume``; the store it serves, not ``<ledger store>``; a cap by its
clause, not its rule text.  The command line's texts for the same errors are unchanged.

A new user's trial (hAY): E335 over HTTP said "run with --assume annual_cap_year=approval"
and named `<ledger store>`; E349 quoted the cap's DSL source (`… per firm per year of if
annual_cap_year = approval then approved_on else launch_reward_decided_on`) and told the
client to `policyrules ledger export` a store it cannot reach.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient
from tests.support import run_cli

import policyrules
from policyrules.errors import Diagnostic
from policyrules.serve import create_app
from policyrules.serve_terms import in_service_terms
from policyrules.store import LedgerStore

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
FIRM_A = ROOT / "examples" / "firm-a.yaml"
JSON = {"content-type": "application/json"}
REWARD = "jjxf_2025_50/3/launch_reward"


def firm(approved_on: str = "2026-03-02", ledger: bool = False) -> dict[str, Any]:
    """firm-a's facts, A1 approved on ``approved_on``; its own ``ledger:`` only if asked."""
    data: Any = yaml.safe_load(FIRM_A.read_text("utf-8"))
    data = json.loads(json.dumps(data, default=str))
    data["firms"][0]["products"][0]["approved_on"] = approved_on
    if not ledger:
        del data["ledger"]
    return dict(data)


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "grants.db"
    LedgerStore.open(path, create=True).close()
    return path


@pytest.fixture
def client(policy: policyrules.Policy, store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(policy, ledger=store)) as c:
        committed = c.post("/v1/evaluate?commit=1", content=json.dumps(firm()), headers=JSON)
        assert committed.status_code == 200  # A1-A3 granted in 2026, keyed by approval
        yield c


def _no_flags(answer: Any) -> dict[str, Any]:
    data: dict[str, Any] = answer.json()
    said = json.dumps(data, ensure_ascii=False)
    for cli in ("--assume", "--set", "--as-of", "<ledger store>", "grants.db"):
        assert cli not in said
    (error,) = data["errors"]
    return dict(error)


def test_e335_names_the_requests_assumptions_and_the_store_it_serves(
    client: TestClient,
) -> None:
    """The store's grants were counted with annual_cap_year = approval; a request assuming
    decision is refused (409 E335), told to send the assumption in its document or query,
    and that re-keying the store is its operator's work."""
    answer = client.post(
        "/v1/evaluate?assume=annual_cap_year%3Ddecision", content=json.dumps(firm()), headers=JSON
    )
    assert answer.status_code == 409
    error = _no_flags(answer)
    assert error["code"] == "E335"
    assert error["message"].startswith(
        f"the service's ledger store: the grants of {REWARD} in this store were counted with "
        "the assumption annual_cap_year = approval; this run uses annual_cap_year = decision"
    )
    assert error["hint"].startswith(
        "send `assumptions: {annual_cap_year: approval}` in the document (or the query "
        "`assume=annual_cap_year=approval`) to match the store; if annual_cap_year = decision "
        "is the right reading, the earlier grants must be counted by it too, which only the "
        "service's operator can do: `policyrules ledger export` the store"
    )
    assert answer.json()["text"].startswith("error[E335]: the service's ledger store: ")
    assert "send `assumptions: {annual_cap_year: approval}`" in answer.json()["text"]


def test_e349_names_the_clause_and_the_operator(client: TestClient) -> None:
    """A1's grant is recorded in 2026; facts placing its approval in 2027 are refused (E349),
    the cap named by its clause and the route that shows it (not its rule text), the
    store's year the operator's to correct."""
    answer = client.post("/v1/evaluate", content=json.dumps(firm("2027-03-02")), headers=JSON)
    assert answer.status_code == 400
    error = _no_flags(answer)
    assert error["code"] == "E349"
    assert error["message"] == (
        f"{REWARD} to firm firm-a, product A1, year 2026 (the service's ledger store): the "
        "facts give this claim year 2027, not 2026 (by the cap 1000 万元 per firm per year of "
        "clause jjxf_2025_50/3: its year that of the fact approved_on where the assumption "
        "annual_cap_year = approval, else of launch_reward_decided_on; GET "
        "/v1/clauses/jjxf_2025_50/3 shows it); the one-time award is not paid again, and its "
        "amount would stay in 2026's account while 2027's cap is filled again"
    )
    assert error["hint"] == (
        "if the facts are right, the grant's year in the service's ledger store is wrong: ask "
        "the service's operator to correct it (`policyrules ledger export`, fix the grant's "
        "`year`, `policyrules ledger import` into a new store); else correct the facts"
    )


def test_e349_of_the_documents_own_ledger_is_the_clients_to_correct(
    policy: policyrules.Policy,
) -> None:
    """A grant of the document's own ``ledger:`` in another year than its facts give: the
    client corrects its document, no store named."""
    data = firm("2027-03-02", ledger=True)
    data["ledger"][0] |= {"product": "A1"}  # the ledger's first 2026 reward, now A1's
    with TestClient(create_app(policy)) as c:
        answer = c.post("/v1/evaluate", content=json.dumps(data), headers=JSON)
    assert answer.status_code == 400
    error = _no_flags(answer)
    assert error["code"] == "E349"
    assert "of clause jjxf_2025_50/3: its year that of the fact approved_on" in error["message"]
    assert error["hint"] == (
        "if the facts are right, correct the grant's `year` in the document's `ledger:`; "
        "else correct the facts"
    )


def test_the_command_line_keeps_its_own_terms(
    client: TestClient, store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same refusals from `eval` against the same store (the service recorded A1-A3)
    still name its flags and the cap's rule text."""
    facts = tmp_path / "f.json"
    facts.write_text(json.dumps(firm()), "utf-8")
    assume = ("--assume", "annual_cap_year=decision")
    code, _, err = run_cli(capsys, "eval", POLICY, facts, "--ledger", store, "--dry-run", *assume)
    assert code == 2
    assert "hint: run with --assume annual_cap_year=approval to match the store" in err
    facts.write_text(json.dumps(firm("2027-03-02")), "utf-8")
    code, _, err = run_cli(capsys, "eval", POLICY, facts, "--ledger", store, "--dry-run")
    assert code == 2
    assert "per firm per year of if annual_cap_year = approval then approved_on" in err
    assert "(a store: `policyrules ledger export` it" in err


@pytest.mark.parametrize(
    ("code", "hint", "said"),
    [
        (
            "E311",
            "write 30%: --set overseas_support_rate=30%, or `overseas_support_rate: 30%` in a file",
            "write 30%: the query `set=overseas_support_rate=30%`, or `overseas_support_rate: "
            "30%` in a file",
        ),
        (
            "E427",
            "give the day of the payment run: --as-of YYYY-MM-DD on the command line, as_of= "
            "to Policy.evaluate (or as_of: in the facts); the years up to it are granted",
            "give the day of the payment run: `as_of: YYYY-MM-DD` in the document (or the "
            "query `as_of=YYYY-MM-DD`); the years up to it are granted",
        ),
        (
            "E428",
            "a dry run shows them (eval --dry-run; batch without --ledger-out; in Python, "
            "commit left out); give the day of the payment run as --as-of (as_of=), or, to "
            "record them now on purpose, add --record-ahead (record_ahead=True)",
            "the same request without commit=1 shows them; give the day of the payment run as "
            "`as_of` (the service records no grant before its year)",
        ),
        (
            "E335",
            "if they were counted with annual_cap_year = decision, export the store (`ledger "
            "export`), add `bases: [...]` to the file and import it into a new store; otherwise "
            "run with --assume annual_cap_year=approval",
            "if they were counted with annual_cap_year = decision, have the service's operator "
            "export the store (`policyrules ledger export`), add `bases: [...]` to the file and "
            "import it into a new store; otherwise send `assumptions: {annual_cap_year: "
            "approval}` in the document (or the query `assume=annual_cap_year=approval`)",
        ),
        (
            "E353",
            "if the result is meant for a later day, give that day as --as-of (as_of in the "
            "facts, the API or the service), or leave as_of out",
            "if the result is meant for a later day, give that day as `as_of`, or leave as_of out",
        ),
    ],
)
def test_other_flags_in_service_terms(code: str, hint: str, said: str) -> None:
    """The other hints that name a flag: a parameter's value (E311), a schedule recorded
    without a day (E427) or for a day ahead (E428), a store's grants appended without a
    reading (E335), a date after as_of (E353)."""
    assert in_service_terms(Diagnostic(code, "m", hint=hint)).hint == said


@pytest.mark.parametrize(
    ("year", "said"),
    [
        ("rd_year", "its year that of the fact rd_year"),
        ("payment_year()", "its year by `payment_year()`"),
    ],
)
def test_the_other_forms_of_a_caps_year(year: str, said: str) -> None:
    """One fact in words; any other form (a schedule's payment year) as written."""
    message = (
        f"p/5/r to firm f (the service's ledger store): the facts give this claim year 2027, "
        f"not 2026 (by the cap 1 万元 per firm per year of {year}); the one-time award is not "
        "paid again"
    )
    out = in_service_terms(Diagnostic("E349", message)).message
    assert f"(by the cap 1 万元 per firm per year of clause p/5: {said}; GET /v1/clauses/p/5" in out


def test_a_diagnostic_without_command_line_terms_is_kept() -> None:
    d = Diagnostic("E313", "firms[0].approved_on: not a date", hint="write YYYY-MM-DD")
    assert in_service_terms(d) is d
