"""Golden tests: bad rule and facts files render exactly the text an author should see.

Each ``cases/NAME.rule`` has a ``cases/NAME.expected`` holding ``str(error)``; each bad facts
file under ``facts/`` has one too, checked against the shipped Beijing policy.  Regenerate
with ``pytest tests/golden --update-golden`` and read every changed file before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules
from policyrules import FactsError, PolicyRulesError, RuleCheckError, RuleSyntaxError

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
RULE_CASES = sorted((HERE / "cases").glob("*.rule"))
FACT_CASES = sorted(p for p in (HERE / "facts").iterdir() if p.suffix in (".yaml", ".json"))


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _compare(actual: str, expected_file: Path, update: bool) -> None:
    if update:
        expected_file.write_text(actual + "\n", "utf-8")
    expected = expected_file.read_text("utf-8").removesuffix("\n")
    assert expected == actual


def test_enough_cases() -> None:
    """At least 30 syntax errors, 30 check errors and 15 bad facts files are covered."""
    syntax = [p for p in RULE_CASES if p.stem.startswith("syntax_")]
    assert len(syntax) >= 30
    assert len(RULE_CASES) - len(syntax) >= 30
    assert len(FACT_CASES) >= 15


def test_every_case_has_its_expected_file() -> None:
    """No case without an ``.expected`` file, and no ``.expected`` file without a case."""
    cases = {p.with_suffix(".expected") for p in [*RULE_CASES, *FACT_CASES]}
    expected = {*(HERE / "cases").glob("*.expected"), *(HERE / "facts").glob("*.expected")}
    assert cases == expected


@pytest.mark.parametrize("case", RULE_CASES, ids=lambda p: p.stem)
def test_rule_case(case: Path, update_golden: bool) -> None:
    """A bad .rule file fails with exactly the expected rendered error."""
    rel = case.relative_to(ROOT).as_posix()
    with pytest.raises(PolicyRulesError) as info:
        policyrules.load(rel)
    err = info.value
    kind = RuleSyntaxError if case.stem.startswith("syntax_") else RuleCheckError
    assert isinstance(err, kind)
    _compare(str(err), case.with_suffix(".expected"), update_golden)


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(ROOT / "policies" / "beijing_2025")


@pytest.mark.parametrize("case", FACT_CASES, ids=lambda p: p.name)
def test_facts_case(case: Path, beijing: policyrules.Policy, update_golden: bool) -> None:
    """A bad facts file fails with exactly the expected rendered error."""
    rel = case.relative_to(ROOT).as_posix()
    with pytest.raises(FactsError) as info:
        beijing.load_facts(rel)
    _compare(str(info.value), case.with_suffix(".expected"), update_golden)
