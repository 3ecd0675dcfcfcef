"""The Python API's rough edges a new user met (the hAY trial): a store given mappings, a
parser of money refusing with a bare ``ValueError``/``TypeError``, ``ledger=[]`` read as "no
earlier grants" while the facts file's own ``ledger:`` still applied."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import policyrules
from policyrules import FactsError, LedgerError, LedgerStore, Money, PolicyRulesError
from policyrules.errors import FactsTypeError
from policyrules.runtime.ledger import Grant

ROOT = Path(__file__).resolve().parents[2]
FIRM_A = ROOT / "examples" / "firm-a.yaml"
REWARD = "jjxf_2025_50/3/launch_reward"
ENTRY = {"provision": REWARD, "firm": "f1", "product": "P1", "amount": "200万元", "year": 2026}


@pytest.fixture(scope="module")
def policy() -> policyrules.Policy:
    return policyrules.load(ROOT / "policies" / "beijing_2025")


def test_a_store_given_a_mapping_says_how_to_record_it(tmp_path: Path) -> None:
    """``store.append([{...}])`` was refused `a store records Grant values, not dict`, no
    hint.  A store knows no policy, which alone says which keys are ids and in what order
    (read in the order given, a path could be recorded as no evaluation finds it): still
    refused, nothing written, the hint naming ``policy.record`` and the Grant to make from
    the mapping's own keys."""
    with LedgerStore.open(tmp_path / "g.db", create=True) as store:
        with pytest.raises(LedgerError) as info:
            store.append([ENTRY])
        assert len(store.grants()) == 0
    err = info.value
    assert err.code == "E327"
    assert "a store knows no policy" in err.diagnostics[0].message
    assert err.hint is not None
    assert "policy.record(store, grants)" in err.hint
    made = (
        "Grant('jjxf_2025_50/3/launch_reward', (('firm', 'f1'), ('product', 'P1')), "
        "Money.parse('200万元'), year=2026)"
    )
    assert made in err.hint
    # The Grant the hint writes is the one policy.record reads from the mapping.
    grant = Grant(REWARD, (("firm", "f1"), ("product", "P1")), Money.parse("200万元"), year=2026)
    with LedgerStore.open(tmp_path / "h.db", create=True) as store:
        assert tuple(policyrules.load(ROOT / "policies" / "beijing_2025").record(store, [ENTRY]))
        assert tuple(store.grants()) == (grant,)


def test_a_store_given_something_else_says_how_to_make_a_grant(tmp_path: Path) -> None:
    with (
        LedgerStore.open(tmp_path / "g.db", create=True) as store,
        pytest.raises(LedgerError) as info,
    ):
        store.append([3])  # type: ignore[list-item]
    assert info.value.diagnostics[0].message == "a store records Grant values, not int"
    assert "Grant(provision, (('firm', 'f1'), ('product', 'P1'))" in (info.value.hint or "")


@pytest.mark.parametrize(
    ("text", "why", "hint"),
    [
        (
            "2百万元",
            "expected e.g. '200 万元', '1.5亿元', '12,345.67 元' or '-5 元'",
            "write the number in ASCII digits, then 元, 万元 or 亿元 (2百万元: 200 万元)",
        ),
        (
            "1.234 元",
            "1.234 元 is not a whole number of fen",
            "an amount is whole fen: two places after the point in 元 at most",
        ),
    ],
)
def test_money_parse_refuses_with_a_code_and_a_hint(text: str, why: str, hint: str) -> None:
    """``Money.parse`` is a public parser of user text: it refuses with the project's error
    (E303, as the facts reader refuses an amount), still a ``ValueError``."""
    with pytest.raises(FactsError) as info:
        Money.parse(text)
    err = info.value
    assert isinstance(err, ValueError)
    assert (err.code, err.diagnostics[0].message, err.hint) == (
        "E303",
        f"cannot read {text!r} as an amount of money: {why}",
        hint,
    )


@pytest.mark.parametrize("value", [200, 2.5, None])
def test_money_parse_of_a_value_not_text(value: Any) -> None:
    """``Money.parse(200)`` was a bare ``TypeError``: now E303 with a hint, a
    :class:`PolicyRulesError` and still a ``TypeError`` (callers catching it keep working)."""
    with pytest.raises(FactsTypeError) as info:
        Money.parse(value)
    err = info.value
    assert isinstance(err, TypeError)
    assert isinstance(err, PolicyRulesError)
    assert err.code == "E303"
    assert (
        err.diagnostics[0].message
        == f"Money.parse reads text, not {type(value).__name__}: {value!r}"
    )
    assert 'Money.parse("200 万元")' in (err.hint or "")


def test_an_empty_ledger_argument_keeps_the_facts_files_own(policy: policyrules.Policy) -> None:
    """``ledger=[]`` adds no earlier grants; the facts file's own ``ledger:`` still applies
    (as ``eval`` and the service read a document), as docs/api.md and the README now say.
    firm-a's file records 3 × 200 万 = 600 万 of 2026 第3条 rewards: A3's 200 万 is cut by the
    1000 万 firm-year cap to 1000 − 600 − 200 (A1) − 150 (A2) = 50 万.  Read without its
    ``ledger:``, nothing is granted before: 200 + 150 + 200 = 550 万 ≤ 1000 万, A3 paid 200 万."""

    def a3(result: policyrules.Result) -> Money | None:
        (d,) = [d for d in result.decisions if d.provision == REWARD and d.subject == "firm-a/A3"]
        return d.amount

    facts = policy.load_facts(FIRM_A)
    assert a3(policy.evaluate(facts, ledger=[])) == Money.of(50, "万元")
    assert policy.evaluate(facts, ledger=[]) == policy.evaluate(facts)
    data = yaml.safe_load(FIRM_A.read_text("utf-8"))
    del data["ledger"]
    assert a3(policy.evaluate(policy.read_facts(data), ledger=[])) == Money.of(200, "万元")
