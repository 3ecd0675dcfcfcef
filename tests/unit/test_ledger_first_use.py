"""A ledger's first use made cheaper (issue 10, "Scale"): each shortcut gives what the
general way gives.  The caps' check sums payments in plain fen and says its errors grant by
grant only when a cap is overspent; one ledger merged alone is kept as it is; a ledger this
policy read is not searched again for a one-time award paid twice."""

from __future__ import annotations

import random

import pytest

import policyrules
from policyrules import Grant, Ledger, LedgerError, Money
from policyrules.ledger_check import _cap_errors, _overspent, _payments, fixed_caps
from policyrules.ledger_io import merge_ledgers
from support import BEIJING as POLICY

LAUNCH = "jjxf_2025_50/3/launch_reward"  # 200 万元 per product, 1000 万元 per firm per year
RD = "jjxf_2025_50/6/rd_reward"  # 1000 万元 per claim (the firm), no year
OVERSEAS = "jjxf_2025_50/13/overseas_registration"  # 100 万元 per product, 300 per firm-year
WAN = 10_000 * 100


@pytest.fixture(scope="module")
def beijing() -> policyrules.Policy:
    return policyrules.load(POLICY)


def _random_ledger(rnd: random.Random, n: int) -> Ledger:
    grants: dict[tuple[object, ...], Grant] = {}
    for _ in range(n):
        provision = rnd.choice((LAUNCH, RD, OVERSEAS))
        firm = ("firm", f"f{rnd.randrange(4)}")
        path = (firm,) if provision == RD else (firm, ("product", f"P{rnd.randrange(5)}"))
        year = None if provision == RD else rnd.choice((2025, 2026))
        fen = rnd.choice((0, 0, 50, 90, 100, 150, 200, 400)) * WAN + rnd.choice((0, 0, 1))
        grant = Grant(provision, path, Money(fen), year)
        grants[grant.identity if fen else (grant, len(grants))] = grant
    return Ledger(tuple(grants.values()))


def test_overspent_agrees_with_the_errors_cap_by_cap(beijing: policyrules.Policy) -> None:
    compiled = beijing.compiled
    caps = list(fixed_caps(compiled, compiled.parameter_defaults, compiled.assumption_defaults))
    rnd = random.Random(10)
    seen = {True: 0, False: 0}
    for _ in range(300):
        ledger = _random_ledger(rnd, rnd.randrange(1, 12))
        payments = _payments(ledger)
        for cap in caps:
            over = _overspent(cap[1], cap[2].fen, cap[3], payments)
            assert over == bool(_cap_errors([cap], ledger, "the ledger")), (cap[1].text, ledger)
            seen[over] += 1
    assert seen[True] > 50
    assert seen[False] > 50


def test_one_ledger_merged_alone_is_itself_without_copies_of_nothing() -> None:
    paid = Grant(LAUNCH, (("firm", "a"), ("product", "P1")), Money(5 * WAN), 2025)
    nothing = Grant(LAUNCH, (("firm", "a"), ("product", "P2")), Money(0), 2025)
    once = merge_ledgers(("empty", Ledger()), ("given", Ledger((paid, nothing))))
    assert once.grants == (paid, nothing)
    twice = merge_ledgers(("given", Ledger((nothing, paid, nothing))), ("empty", Ledger()))
    assert twice.grants == (nothing, paid)  # an identical 0.00 元 grant adds nothing
    based = Ledger((paid,), bases=[(LAUNCH, "annual_cap_year", "approval")])
    assert merge_ledgers(("given", based)) == based


def test_only_a_ledger_the_policy_read_is_vouched_for(beijing: policyrules.Policy) -> None:
    grants = [Grant(LAUNCH, (("firm", "a"), ("product", "P1")), Money(5 * WAN), 2025)]
    made = Ledger(grants)
    read = beijing.read_ledger(grants)
    memo = beijing._ledgers
    assert memo._vouched(read)
    assert not memo._vouched(made)
    assert not memo._vouched(Ledger(read))  # an equal value, not the one read


def test_a_path_checked_once_per_shape_still_refuses_each_bad_one(
    beijing: policyrules.Policy,
) -> None:
    good = Grant(LAUNCH, (("firm", "a"), ("product", "P1")), Money(5 * WAN), 2025)
    short = Grant(LAUNCH, (("firm", "b"),), Money(5 * WAN), 2025)  # no product: E322
    other = Grant(LAUNCH, (("firm", "c"), ("project", "X")), Money(5 * WAN), 2025)  # E323
    again = Grant(LAUNCH, (("firm", "a"), ("product", "P2")), Money(1), 2026)  # the same shape
    with pytest.raises(LedgerError) as caught:
        beijing.read_ledger([good, short, again, other])
    said = [(d.code, d.message.split(":")[0]) for d in caught.value.diagnostics]
    assert said == [("E322", "ledger[1]"), ("E323", "ledger[3]")]
