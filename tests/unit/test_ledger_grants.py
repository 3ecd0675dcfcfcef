"""Grants and ledgers are strict however they are built, and a grant of 0.00 元 is no payment.

Policy: 京经信发〔2025〕50号 第3条 (launch_reward): 单个产品不超过 200 万元, 单个企业年度奖励不超过
1000 万元, 一次性 (once per product).  1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import policyrules
from policyrules import Grant, Ledger, LedgerError, Money

ROOT = Path(__file__).resolve().parents[2]
REWARD = "jjxf_2025_50/3/launch_reward"
WAN = 1_000_000  # fen in 1 万元


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(ROOT / "policies" / "beijing_2025")


def _product(pid: str, decided: str, approved: str = "2026-03-01") -> dict[str, Any]:
    return {
        "id": pid,
        "approved_on": approved,
        "launch_routes": ["national_priority_review"],
        "launch_reward_decided": decided,
    }


def _facts(*products: dict[str, Any], firm: str = "f1") -> dict[str, Any]:
    return {"firms": [{"id": firm, "products": list(products)}]}


def _reward(result: policyrules.Result, subject: str) -> policyrules.Decision:
    return next(d for d in result.decisions if d.provision == REWARD and d.subject == subject)


F1P1 = (("firm", "f1"), ("product", "P1"))


def _earlier(wan: int, firm: str = "f1", year: int = 2026) -> list[Grant]:
    """``wan`` 万元 of earlier launch rewards to products E1, E2, ... of ``firm``, each within
    the 200 万元 per-product cap (a ledger that already exceeds a cap is refused, E329)."""
    out = []
    for i, start in enumerate(range(0, wan, 200), 1):
        path = (("firm", firm), ("product", f"E{i}"))
        out.append(Grant(REWARD, path, Money.of(min(200, wan - start), "万元"), year))
    return out


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda: Grant(REWARD, F1P1, Money.of(-1500, "万元"), 2026), "below zero"),
        (lambda: Grant(REWARD, F1P1, Money(-1), 2026), "below zero"),
        (lambda: Grant("", F1P1, Money(1), 2026), "names its provision"),
        (lambda: Grant(REWARD, (), Money(1), 2026), "names no firm"),
        (lambda: Grant(REWARD, (("firm", ""),), Money(1), 2026), "non-empty text"),
        (lambda: Grant(REWARD, (("firm", "f1", "x"),), Money(1), 2026), "pairs"),
        (lambda: Grant(REWARD, "firm:f1", Money(1), 2026), "sequence of (entity, id) pairs"),
        (lambda: Grant(REWARD, (("firm", "a"), ("firm", "b")), Money(1)), "entity twice"),
        (lambda: Grant(REWARD, F1P1, 100, 2026), "is a Money"),  # type: ignore[arg-type]
        (lambda: Grant(REWARD, F1P1, Money(1), 0), "not in 1..9999"),
        (lambda: Grant(REWARD, F1P1, Money(1), 10000), "not in 1..9999"),
        (lambda: Grant(REWARD, F1P1, Money(1), True), "whole number"),
        (lambda: Grant(REWARD, F1P1, Money(1), "2026"), "whole number"),  # type: ignore[arg-type]
    ],
)
def test_a_grant_checks_itself(build: Any, words: str) -> None:
    """Every way a grant can be malformed in Python is refused with E327 (today a grant of
    -1,500 万元 was accepted and a firm was paid 1,500 万元 under its 1,000 万元 cap)."""
    with pytest.raises(LedgerError) as info:
        build()
    assert info.value.code == "E327"
    assert words in str(info.value)


def test_a_grant_path_may_be_given_as_lists() -> None:
    """Lists of pairs are read as the same tuple path (so a grant from JSON compares equal)."""
    g = Grant(REWARD, [["firm", "f1"], ["product", "P1"]], Money(1), 2026)
    assert g.path == F1P1
    assert g == Grant(REWARD, F1P1, Money(1), 2026)


def test_a_negative_python_grant_never_reaches_evaluate(beijing: policyrules.Policy) -> None:
    """The issue's case: with a -1,500 万元 grant the firm-year cap would have room for
    1000 − (−1500) = 2,500 万元.  The grant cannot even be built."""
    with pytest.raises(LedgerError):
        beijing.evaluate(
            _facts(_product("P2", "200万元")),
            ledger=[Grant(REWARD, F1P1, Money.of(-1500, "万元"), 2026)],
        )


def test_a_ledger_refuses_the_same_payment_twice() -> None:
    """The same grant listed twice would count twice against the cap: E326."""
    g = Grant(REWARD, F1P1, Money.of(200, "万元"), 2026)
    with pytest.raises(LedgerError) as info:
        Ledger((g, g))
    assert info.value.code == "E326"
    with pytest.raises(LedgerError):
        Ledger((g,)).with_grants([g])
    # Another year or another product is another grant.
    other = Grant(REWARD, F1P1, Money.of(200, "万元"), 2027)
    assert len(Ledger((g, other))) == 2


def test_the_same_grant_twice_in_a_python_list_is_refused(beijing: policyrules.Policy) -> None:
    """``evaluate(ledger=[g, g])``: refused, not counted twice (900 + 900 would leave the
    firm no room; 900 alone leaves 100 万元)."""
    g = _earlier(900)  # 200 + 200 + 200 + 200 + 100
    with pytest.raises(LedgerError) as info:
        beijing.evaluate(_facts(_product("P2", "200万元")), ledger=[*g, *g])
    assert info.value.code == "E326"
    result = beijing.evaluate(_facts(_product("P2", "200万元")), ledger=g)
    assert _reward(result, "f1/P2").amount == Money.of(100, "万元")  # 1000 − 900 = 100 万


def test_the_same_grant_in_the_facts_and_the_ledger_counts_once(
    beijing: policyrules.Policy,
) -> None:
    """A grant in the facts file's own ledger and again in ``ledger=`` is one grant: 900 万
    earlier leaves 1000 − 900 = 100 万 for P2 (counted twice it would leave 0).  The same
    identity with another amount is E326 naming both places."""
    entries = [g.to_json() for g in _earlier(900)]
    facts = {**_facts(_product("P2", "200万元")), "ledger": entries}
    result = beijing.evaluate(facts, ledger=entries)
    assert _reward(result, "f1/P2").amount == Money.of(100, "万元")
    other = [{**entries[0], "amount": "150万元"}, *entries[1:]]
    with pytest.raises(LedgerError) as info:
        beijing.evaluate(facts, ledger=other)
    assert info.value.code == "E326"
    assert "2,000,000.00 元 in the facts' ledger" in str(info.value)
    assert "1,500,000.00 元 in the ledger given" in str(info.value)


def test_a_python_grant_is_checked_against_the_policy(beijing: policyrules.Policy) -> None:
    """A Grant value gets the same checks as a dict: its path must start at the firm and
    name the product (once per product), and the provision must exist."""
    no_firm = Grant(REWARD, (("product", "P1"),), Money.of(200, "万元"), 2026)
    with pytest.raises(LedgerError) as info:
        beijing.evaluate(_facts(_product("P1", "200万元")), ledger=[no_firm])
    assert (info.value.code, "no `firm`" in str(info.value)) == ("E322", True)
    firm_only = Grant(REWARD, (("firm", "f1"),), Money.of(200, "万元"), 2026)
    with pytest.raises(LedgerError) as info:
        beijing.evaluate(_facts(_product("P1", "200万元")), ledger=[firm_only])
    assert (info.value.code, "once per product" in str(info.value)) == ("E322", True)
    unknown = Grant("jjxf_2025_50/3/nope", F1P1, Money(1), 2026)
    with pytest.raises(LedgerError) as info:
        beijing.evaluate(_facts(), ledger=Ledger((unknown,)))
    assert info.value.code == "E321"


# ---- 0.00 元 is not a payment ---------------------------------------------------------------


def test_a_zero_grant_in_the_ledger_leaves_the_one_time_award_open(
    beijing: policyrules.Policy,
) -> None:
    """A 0.00 元 grant for P1 does not use up its 一次性 award: P1 is paid its 200 万元;
    it counts 0 toward the firm-year cap (800 万 earlier + 0 → room 200 万)."""
    ledger = [
        {"provision": REWARD, "firm": "f1", "product": "P1", "amount": "0", "year": 2026},
        *(g.to_json() for g in _earlier(800)),
    ]
    result = beijing.evaluate(_facts(_product("P1", "200万元")), ledger=ledger)
    d = _reward(result, "f1/P1")
    assert (d.status, d.amount) == ("eligible", Money.of(200, "万元"))  # min(200, 1000 − 800)
    assert result.grants == (Grant(REWARD, F1P1, Money.of(200, "万元"), 2026),)


def test_an_evaluation_does_not_record_a_zero_grant(beijing: policyrules.Policy) -> None:
    """A claim cut to 0.00 元 by a spent firm-year cap says 0.00 元 and why, but records no
    grant; a later year with room pays the same product (the award was never paid)."""
    spent = _earlier(1000)
    result = beijing.evaluate(_facts(_product("P1", "200万元")), ledger=spent)
    d = _reward(result, "f1/P1")
    assert (d.status, d.amount, d.amount_kind) == ("eligible", Money.zero(), "exact")
    assert any("1000 万元 per firm per year" in c.cap and c.binding for c in d.caps)
    assert result.grants == ()
    # Fed back, the run's (empty) grants leave P1 open: it is still not paid before.
    again = beijing.evaluate(_facts(_product("P1", "200万元")), ledger=[*spent, *result.grants])
    assert _reward(again, "f1/P1").status == "eligible"


def test_zero_grants_may_repeat_but_payments_may_not() -> None:
    """Two 0.00 元 grants of one identity pay nothing twice: accepted.  A payment twice: E326."""
    zero = Grant(REWARD, F1P1, Money.zero(), 2026)
    assert len(Ledger((zero, zero))) == 2
    paid = Grant(REWARD, F1P1, Money.of(1, "万元"), 2026)
    assert len(Ledger((zero, paid))) == 2
    with pytest.raises(LedgerError):
        Ledger((paid, zero, paid))
