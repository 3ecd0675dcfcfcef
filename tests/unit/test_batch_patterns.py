"""The SQL batch on policies/patterns: every worked case's facts run through the batch
(DuckDB) and through ``policy.evaluate``, decision for decision.

Each case of ``policies/patterns/cases`` is a small registry (its firms and projects, its
ledger, parameters and assumptions); the batch's decision for every provision and subject
of the clauses the batch compiles must equal the one-by-one path's: status, amount in fen,
the lower bound, amount kind, missing facts, missing parameters, assumptions used.  The
clauses still refused are listed with their codes (issue 11: refused by name).
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

import attrs
import pytest

import policyrules
from policyrules.backends.sql import BatchCompileError, SqlPlan, compile_batch
from policyrules.backends.sql import duckdb as engine
from policyrules.cases import WorkedCase, case_files, load_case_file
from policyrules.model import CheckedPolicy

DIRECTORY = Path(__file__).resolve().parents[2] / "policies" / "patterns"

# The clauses the batch still refuses, with the code it names (issue 11: by name).  The
# clause patterns_excl_2025 supersedes is compiled (as of each case's as_of: _plan_for), and
# so is patterns_years/1, paid in instalments (分三年拨付: its cases run both ways below).
REFUSED = {f"patterns_years/{n}": "E617" for n in range(2, 7)}


@functools.cache
def _policy() -> policyrules.Policy:
    return policyrules.load(DIRECTORY)


@functools.cache
def _part() -> CheckedPolicy:
    checked = _policy().checked
    out = REFUSED.keys()
    return attrs.evolve(checked, clauses=tuple(c for c in checked.clauses if c.id not in out))


def _key(raw: Any) -> str:
    return repr(sorted((raw or {}).items()))


_PLANS: dict[tuple[str, str, str], tuple[SqlPlan, frozenset[str]]] = {}


def _plan_for(extra: dict[str, Any]) -> tuple[SqlPlan, frozenset[str]]:
    """The plan for a case's parameters, assumptions and ``as_of`` (a superseded clause
    applies or not by it), and the provisions it decides: a clause refused only under these
    values (`tiers by` read highest_only: E612) is left out, its refusal checked."""
    policy = _policy()
    as_of = extra.get("as_of")
    key = (_key(extra.get("parameters")), _key(extra.get("assumptions")), str(as_of))
    if key not in _PLANS:
        params = policy._values(extra.get("parameters") or {}, "parameters")
        assume = policy._values(extra.get("assumptions") or {}, "assumptions")
        day = dt.date.fromisoformat(str(as_of)) if as_of is not None else None
        part = _part()
        while True:
            try:
                plan = compile_batch(part, parameters=params, assumptions=assume, as_of=day)
                break
            except BatchCompileError as exc:
                d = exc.diagnostics[0]
                assert d.code == "E612", d.message
                assert "(highest_only)" in d.message
                clause = d.message.split(":")[0].rsplit("/", 1)[0]
                part = attrs.evolve(part, clauses=tuple(c for c in part.clauses if c.id != clause))
        _PLANS[key] = (plan, frozenset(p.id for p in part.provisions()))
    return _PLANS[key]


def _cases() -> list[Any]:
    out = []
    for path in case_files([DIRECTORY / "cases"]):
        for case in load_case_file(path, _policy().checked).cases:
            out.append(pytest.param(case, id=f"{path.name}::{case.name}"))
    return out


def test_the_refused_clauses_name_their_construct() -> None:
    checked = _policy().checked
    got = {}
    for c in checked.clauses:
        try:
            compile_batch(attrs.evolve(checked, clauses=(c,)))
        except BatchCompileError as exc:
            got[c.id] = exc.diagnostics[0].code
    assert got == REFUSED


def _both_ways(
    policy: policyrules.Policy, facts: Any, ledger: Any, extra: dict[str, Any]
) -> tuple[dict[tuple[str, str], Any], dict[tuple[str, str], Any]]:
    """The decisions of the awards the batch compiles for ``extra``'s parameters and
    assumptions, one by one (``want``) and by the batch (``got``), by (provision, subject):
    status, amount and lower bound in fen, kind, missing facts and parameters, assumptions."""
    plan, provisions = _plan_for(extra)
    want = {
        (d.provision, d.subject): (
            d.status,
            d.amount.fen if d.amount is not None else None,
            d.amount_min.fen if d.amount_min is not None else None,
            d.amount_kind,
            list(d.missing_facts),
            list(d.missing_parameters),
            sorted(a for a, _ in d.assumptions),
        )
        for d in policy.evaluate(facts).decisions
        if d.provision in provisions
    }
    con = engine.connect()
    engine.load_facts(con, policy.checked, facts, ledger)
    engine.run_plan(con, plan)
    rows = con.execute(
        "SELECT provision, subject, status, amount, amount_min, amount_kind, missing_facts,"
        " missing_parameters, assumptions FROM decisions"
    ).fetchall()
    return want, {(r[0], r[1]): r[2:] for r in rows}


@pytest.mark.parametrize("case", _cases())
def test_the_batch_gives_the_cases_decisions(case: WorkedCase) -> None:
    policy = _policy()
    facts = policy.read_facts(case.facts)
    ledger = policy.read_ledger(facts.extra.get("ledger", []))
    want, got = _both_ways(policy, facts, ledger, dict(facts.extra))
    assert got == want


def merged_registry() -> dict[str, Any]:
    """The facts of every case run with the defaults (no parameters nor assumptions of its
    own) as one registry: case i's firm ``x`` becomes ``c<i>-x``, in its ledger too."""
    firms: list[Any] = []
    ledger: list[Any] = []
    for n, param in enumerate(_cases()):
        raw = param.values[0].facts
        if raw.get("parameters") or raw.get("assumptions"):
            continue
        for firm in raw.get("firms", []):
            firms.append({**firm, "id": f"c{n}-{firm['id']}"})
        for grant in raw.get("ledger", []):
            ledger.append({**grant, "firm": f"c{n}-{grant['firm']}"})
    return {"firms": firms, "ledger": ledger}


def test_the_cases_as_one_registry() -> None:
    # The same decisions when every case's firms are read together (caps and the ledger
    # are per firm: no case's firm touches another's).
    policy = _policy()
    facts = policy.read_facts(merged_registry())
    want, got = _both_ways(policy, facts, policy.read_ledger(facts.extra["ledger"]), {})
    assert len(want) > 1000
    assert got == want
    kinds = {v[3] for v in want.values()}
    assert kinds == {None, "exact", "range", "up_to"}
