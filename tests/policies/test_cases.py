"""Run the worked cases of every policy directory's cases/*.yaml (policies/beijing_2025,
policies/patterns) against its policy.

Every expected amount in those files was worked out by hand from the clause text; the
arithmetic is in a YAML comment beside it.  A case lists only the decisions it asserts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules.facts import load_data

POLICIES = Path(__file__).resolve().parents[2] / "policies"
POLICY_DIR = POLICIES / "beijing_2025"
CASES_DIR = POLICY_DIR / "cases"
# Every policy directory with worked cases.
POLICY_DIRS = ("beijing_2025", "patterns")


def _collect() -> list[Any]:
    params = []
    for directory in POLICY_DIRS:
        for path in sorted((POLICIES / directory / "cases").glob("*.yaml")):
            data = load_data(path)
            assert isinstance(data, dict), f"{path.name}: expected a mapping"
            assert isinstance(data.get("cases"), list), f"{path.name}: expected a 'cases' list"
            names = [c["name"] for c in data["cases"]]
            assert len(names) == len(set(names)), f"{path.name}: duplicate case names"
            for case in data["cases"]:
                name = path.name if directory == "beijing_2025" else f"{directory}/{path.name}"
                params.append(pytest.param(directory, name, case, id=f"{name}::{case['name']}"))
    return params


CASES = _collect()


def test_there_are_cases_for_every_encoded_clause() -> None:
    files = {p.name for p in CASES_DIR.glob("*.yaml")}
    for label in ("02", "03", "07", "08", "13"):
        assert f"clause-{label}.yaml" in files


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY_DIR)


_LOADED: dict[str, policyrules.Policy] = {}


def _policy(directory: str) -> policyrules.Policy:
    if directory not in _LOADED:
        _LOADED[directory] = policyrules.load(POLICIES / directory)
    return _LOADED[directory]


def _money(text: Any) -> policyrules.Money:
    return policyrules.Money.parse(str(text))


def _fmt(m: policyrules.Money | None) -> str:
    return "None" if m is None else f"{m} ({m.fen} fen)"


@pytest.mark.parametrize(("directory", "file", "case"), CASES)
def test_case(directory: str, file: str, case: dict[str, Any]) -> None:
    result = _policy(directory).evaluate(case["facts"])
    found = {(d.provision, d.subject): d for d in result.decisions}
    assert case.get("expect"), f"{file}::{case['name']}: no expectations"
    for exp in case["expect"]:
        key = (exp["provision"], exp.get("subject"))
        where = f"{file}::{case['name']}: {key[0]} {key[1]}"
        d = found.get(key)
        assert d is not None, (
            f"{where}: no such decision; the evaluation gave {sorted(f'{p} {s}' for p, s in found)}"
        )
        assert d.status == exp["status"], (
            f"{where}: status {d.status!r}, expected {exp['status']!r} (reasons {d.reasons}, "
            f"missing {d.missing_facts} {d.missing_parameters})"
        )
        if "amount" in exp:
            if exp["amount"] is None:
                assert d.amount is None, f"{where}: amount {_fmt(d.amount)}, expected none"
            else:
                want = _money(exp["amount"])
                assert d.amount is not None, f"{where}: no amount, expected {_fmt(want)}"
                assert d.amount.fen == want.fen, (
                    f"{where}: amount {_fmt(d.amount)}, expected {_fmt(want)}"
                )
        if "amount_min" in exp:
            want_min = None if exp["amount_min"] is None else _money(exp["amount_min"])
            got = d.amount_min
            assert (got is None and want_min is None) or (
                got is not None and want_min is not None and got.fen == want_min.fen
            ), f"{where}: amount_min {_fmt(got)}, expected {_fmt(want_min)}"
        if "reason" in exp:
            assert any(str(exp["reason"]) in r for r in d.reasons), (
                f"{where}: no reason containing {exp['reason']!r} in {list(d.reasons)}"
            )
        if "amount_kind" in exp:
            assert d.amount_kind == exp["amount_kind"], (
                f"{where}: amount_kind {d.amount_kind!r}, expected {exp['amount_kind']!r}"
            )
        binding = [c for c in d.caps if c.binding]
        if "binding" in exp:
            texts = [c.cap for c in binding]
            for want_cap in exp["binding"]:
                assert any(t.startswith(want_cap) for t in texts), (
                    f"{where}: cap {want_cap!r} should bind; binding caps: {texts}"
                )
            assert len(texts) == len(exp["binding"]), (
                f"{where}: binding caps {texts}, expected exactly {exp['binding']}"
            )
        if "cut" in exp:
            want = _money(exp["cut"])
            assert binding, f"{where}: a cut of {want} expected, but no cap binds"
            for c in binding:
                assert c.cut.fen == want.fen, (
                    f"{where}: cap {c.cap!r} cut {_fmt(c.cut)}, expected {_fmt(want)}"
                )
        if "missing_facts" in exp:
            assert sorted(d.missing_facts) == sorted(exp["missing_facts"]), (
                f"{where}: missing facts {list(d.missing_facts)}, expected {exp['missing_facts']}"
            )
        if "missing_parameters" in exp:
            assert sorted(d.missing_parameters) == sorted(exp["missing_parameters"]), (
                f"{where}: missing parameters {list(d.missing_parameters)}, "
                f"expected {exp['missing_parameters']}"
            )
        if "due" in exp:
            want_due = exp["due"]
            if isinstance(want_due, str):
                want_due = dt.date.fromisoformat(want_due)
            assert isinstance(want_due, dt.date), f"{where}: due must be a date, got {want_due!r}"
            assert d.due == want_due, f"{where}: due {d.due}, expected {want_due}"


EXAMPLES = sorted((POLICY_DIR.parents[1] / "examples").glob("firm-*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_evaluates_with_an_exact_award_and_a_binding_cap(
    policy: policyrules.Policy, path: Path
) -> None:
    result = policy.evaluate(policy.load_facts(path))
    exact = [d for d in result.decisions if d.kind == "award" and d.amount_kind == "exact"]
    assert exact, f"{path.name}: no exact award"
    assert any(c.binding for d in result.decisions for c in d.caps), f"{path.name}: no cap binds"


def test_both_examples_exist() -> None:
    assert [p.name for p in EXAMPLES] == ["firm-a.yaml", "firm-b.yaml", "firm-c.yaml"]
