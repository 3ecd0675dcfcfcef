"""Errors of the Python API from the root class, each with a code and a hint (issue 10,
hCG: `evaluate(..., ledger=[], commit=True)` raised a bare TypeError; `load` of a path
that does not exist a syntax error, E100)."""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules
from policyrules import LedgerStore, PolicyNotFoundError, PolicyRulesError, RuleSyntaxError
from policyrules.cli import main
from policyrules.errors import FactsTypeError

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
FIRM_A = ROOT / "examples" / "firm-a.yaml"


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(POLICY)


@pytest.mark.parametrize(("ledger", "kind"), [([], "not a list"), (None, "but none was given")])
def test_commit_without_a_store_is_a_coded_type_error(
    policy: policyrules.Policy, ledger: list[object] | None, kind: str
) -> None:
    """E354, of the root class and still a TypeError, naming what was given and how to
    open a store (hCI's trial: it said "not no ledger", and named only `ledger init`)."""
    facts = policy.load_facts(FIRM_A)
    with pytest.raises(PolicyRulesError) as err:
        policy.evaluate(facts, ledger=ledger, commit=True)
    assert isinstance(err.value, FactsTypeError)
    assert isinstance(err.value, TypeError)
    assert err.value.code == "E354"
    assert f"commit=True needs a LedgerStore as the ledger, {kind}: " in str(err.value)
    assert "not no ledger" not in str(err.value)
    assert err.value.hint is not None
    assert 'LedgerStore.open("grants.db", create=True)' in err.value.hint
    assert 'ledger=policyrules.LedgerStore.open("grants.db")' in err.value.hint


def test_commit_with_on_other_reading_is_e354(policy: policyrules.Policy, tmp_path: Path) -> None:
    """A store and commit=True, but on_other_reading given: E354 too, nothing recorded."""
    facts = policy.load_facts(FIRM_A)
    with LedgerStore.open(tmp_path / "grants.db", create=True) as store:
        with pytest.raises(FactsTypeError) as err:
            policy.evaluate(facts, ledger=store, commit=True, on_other_reading=lambda _: None)
        assert err.value.code == "E354"
        assert err.value.hint is not None
        assert len(store.grants()) == 0


def test_a_policy_path_that_does_not_exist(tmp_path: Path) -> None:
    """E104 of the root class, also a FileNotFoundError and no syntax error, with a hint."""
    missing = tmp_path / "no-such-policy"
    with pytest.raises(PolicyRulesError) as err:
        policyrules.load(missing)
    assert isinstance(err.value, PolicyNotFoundError)
    assert isinstance(err.value, FileNotFoundError)
    assert not isinstance(err.value, RuleSyntaxError)
    assert err.value.code == "E104"
    assert str(err.value).startswith(f"error[E104]: {missing}: no such file or directory")
    assert err.value.hint == "a policy is a directory of .rule files, or one .rule file"


def test_a_mistyped_policy_path_offers_the_name_beside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hint names the closest entry of the directory; the command line exits 2."""
    (tmp_path / "beijing_2025").mkdir()
    with pytest.raises(PolicyNotFoundError) as err:
        policyrules.load(tmp_path / "beijing_202")
    assert err.value.hint is not None
    assert err.value.hint.startswith(f"did you mean {tmp_path / 'beijing_2025'}? ")
    assert main(["check", str(tmp_path / "beijing_202")]) == 2
    assert "error[E104]" in capsys.readouterr().err
