"""Tests that kill the mutants of the evaluator's newer modules (issue 9 §12, re-measured):
exclusivity against the ledger's earlier grants (backends/python/exclusive.py), payments
over time (instalments.py, schedule.py, exprs_years.py) and an unknown claim's hold on a
shared cap (reserve.py).  Each amount is worked by hand from the rule text written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules
from policyrules.runtime.ledger import Grant
from policyrules.runtime.money import Money

WAN = 1_000_000  # fen in 1 万元

_HEAD = """\
entity firm "企业"
  list firms
  fact cost: money
  fact ok: bool

document d "测试"
  issued 2024-01-01
  valid from 2024-01-01
"""

# x pays 10 % of the cost, y 20 % but at most 1 万 a firm, z (outside the group) 5 %; only
# one of x and y is paid to a firm, the higher, an earlier grant of the other one excluding.
_EXCLUSIVE = """
clause 1 "一"
  quote "q"
  exclusive x, y among firm keep highest ties by listed

  award x "甲"
    for each firm
    eligible when ok
    amount 10% × cost
    cap 100 万元 per firm

  award y "乙"
    for each firm
    eligible when ok
    amount 20% × cost
    cap 1 万元 per firm

  award z "丙"
    for each firm
    eligible when ok
    amount 5% × cost
"""


@pytest.fixture(scope="module")
def exclusive(tmp_path_factory: pytest.TempPathFactory) -> policyrules.Policy:
    folder: Path = tmp_path_factory.mktemp("exclusive")
    (folder / "t.rule").write_text(_HEAD + _EXCLUSIVE, encoding="utf-8")
    return policyrules.load(folder)


def _by_name(result: policyrules.Result, subject: str) -> dict[str, policyrules.Decision]:
    return {d.provision.rsplit("/", 1)[-1]: d for d in result.decisions if d.subject == subject}


@pytest.mark.parametrize(
    "earlier",
    [
        pytest.param(Grant("d/1/y", (("firm", "g"),), Money(WAN)), id="the-other-firm's"),
        pytest.param(Grant("d/1/z", (("firm", "f"),), Money(WAN)), id="outside-the-group"),
    ],
)
def test_an_earlier_grant_excludes_only_a_member_to_the_same_owner(
    exclusive: policyrules.Policy, earlier: Grant
) -> None:
    """An earlier grant of y to another firm, or of z (not in the group) to this firm, leaves
    the group decided by amount: x = 10% × 100 万 = 10 万 beats y = min(20 万, cap 1 万) = 1 万."""
    facts = {"firms": [{"id": "f", "ok": True, "cost": "100 万元"}]}
    got = _by_name(exclusive.evaluate(facts, ledger=[earlier]), "f")
    assert (got["x"].status, got["x"].amount) == ("eligible", Money(10 * WAN))
    assert got["y"].status == "not_eligible"
    assert got["y"].exclusivity is not None
    assert got["y"].exclusivity.ledger is False  # lost to x in this evaluation
    assert got["y"].exclusivity.other == "d/1/x"


def test_an_earlier_grant_of_the_other_member_excludes_and_says_so(
    exclusive: policyrules.Policy,
) -> None:
    """y granted 1 万 to f before: x (10 万 now) is not paid, the note naming the ledger's
    grant: its provision, its amount, and that it is an earlier grant."""
    facts = {"firms": [{"id": "f", "ok": True, "cost": "100 万元"}]}
    result = exclusive.evaluate(facts, ledger=[Grant("d/1/y", (("firm", "f"),), Money(WAN))])
    got = _by_name(result, "f")
    note = got["x"].exclusivity
    assert got["x"].status == "not_eligible"
    assert note is not None
    assert (note.outcome, note.other, note.other_amount) == ("not_paid", "d/1/y", Money(WAN))
    assert note.ledger is True


# ---- payments over time ------------------------------------------------------------------

_SCHEDULED = """\
document t "测试"
  valid from 2025-01-01 to 2027-12-31

entity firm "企业"
  list firms
  fact approved_on: date "立项日期"
  fact investment: money "投资额"

clause 1
  quote "按投资额的 30% 给予支持，不超过 300 万元，分三年拨付（40%、30%、30%）。"

  award s
    for each firm
    amount 30% of investment
    cap 300 万元 per firm
    paid over 3 years from approved_on: 40%, 30%, 30% remainder last
"""


@pytest.fixture(scope="module")
def scheduled(tmp_path_factory: pytest.TempPathFactory) -> policyrules.Policy:
    folder: Path = tmp_path_factory.mktemp("scheduled")
    (folder / "t.rule").write_text(_SCHEDULED, encoding="utf-8")
    return policyrules.load(folder)


def test_an_instalment_paid_before_is_not_counted_against_its_own_entitlement(
    scheduled: policyrules.Policy,
) -> None:
    """30% × 1000 万 = 300 万, exactly the cap; the 2025 instalment (40% = 120 万) is in the
    ledger.  The cap sees the entitlement whole: used 120 万 − this schedule's own 120 万 = 0,
    so the entitlement stays 300 万: 2025 paid 120 万, 2026 due 90 万, 2027 future 90 万."""
    import datetime as dt

    facts = {"firms": [{"id": "F", "approved_on": "2025-06-01", "investment": "1000万元"}]}
    ledger = [Grant("t/1/s", (("firm", "F"),), Money(120 * WAN), 2025)]
    result = scheduled.evaluate(facts, ledger=ledger, as_of=dt.date(2026, 3, 1))
    (d,) = result.decisions
    assert [(p.year, p.status, p.amount) for p in d.schedule] == [
        (2025, "paid", Money(120 * WAN)),
        (2026, "due", Money(90 * WAN)),
        (2027, "future", Money(90 * WAN)),
    ]
    assert d.amount == Money(300 * WAN)
    assert [(g.year, g.amount) for g in result.grants] == [(2026, Money(90 * WAN))]
    steps = [s.text for s in d.trace if s.kind == "schedule"]
    assert "year 2026 (#2, 30%): 90 万元, due" in steps
    assert not any(t.startswith("cap ") for t in steps)  # the cap equals it: no cut


@pytest.mark.parametrize(
    ("start", "last_year"),
    [("9997-06-01", 9999), ("9998-06-01", None)],
)
def test_a_schedule_may_end_in_9999_but_not_after(
    scheduled: policyrules.Policy, start: str, last_year: int | None
) -> None:
    """Three years from 9997 end in 9999, the last year a ledger can hold: paid as usual
    (120 万, 90 万, 90 万 of 30% × 1000 万).  From 9998 they would end in 10000: E422, unknown."""
    facts = {"firms": [{"id": "F", "approved_on": start, "investment": "1000万元"}]}
    (d,) = scheduled.evaluate(facts).decisions
    if last_year is None:
        assert d.status == "unknown"
        assert any(r.startswith("E422") for r in d.reasons)
    else:
        assert d.status == "eligible"
        assert [(p.year, p.amount) for p in d.schedule][-1] == (last_year, Money(90 * WAN))
        assert d.amount == Money(300 * WAN)


# ---- an unknown claim's hold on a shared cap ------------------------------------------------

_SHARED = """
clause 1 "一"
  quote "q"

  award x "甲"
    for each firm
    eligible when ok
    amount 10% × cost
    cap 100 万元 per firm
"""


def test_an_unknown_claim_of_unknown_amount_granted_before_holds_nothing(tmp_path: Path) -> None:
    """Eligibility and amount both unknown (neither `ok` nor `cost` given), 1 万 granted to
    the firm before: the claim is unknown and holds nothing in its cap (it has no bound)."""
    (tmp_path / "t.rule").write_text(_HEAD + _SHARED, encoding="utf-8")
    policy = policyrules.load(tmp_path)
    ledger = [Grant("d/1/x", (("firm", "f"),), Money(WAN))]
    result = policy.evaluate({"firms": [{"id": "f"}]}, ledger=ledger, explain=True)
    (d,) = result.decisions
    assert d.status == "unknown"
    assert result.grants == ()
    assert "holds up to" not in result.explain(lang="en")


# ---- keep highest: what is sure to be higher --------------------------------------------------

_BOUNDS = """\
entity firm "企业"
  list firms
  fact cost: money
  fact other_cost: money
  fact x_limit: money
  fact x_rate: rate

document d "测试"
  issued 2024-01-01
  valid from 2024-01-01

clause 1 "一"
  quote "q"
  exclusive x, y among firm keep highest ties by listed

  award x "甲"
    for each firm
    amount {x_amount}
    cap {x_cap} per firm

  award y "乙"
    for each firm
    amount 20% × other_cost
"""


@pytest.mark.parametrize(
    ("x_amount", "x_cap", "other_cost", "x_kind", "y_status"),
    [
        # x at least 10% × 100 万 = 10 万 (its rate not decided, 10%–20%), y 20% × 25 万 = 5 万:
        # x is surely higher, y is not paid.
        ("10% to 20% of cost decided x_rate", "100 万元", "25 万元", "range", "not_eligible"),
        # x at least 10 万, y 20% × 75 万 = 15 万: either may be higher, so each is paid at
        # most (x up to 20 万: it may get nothing).
        ("10% to 20% of cost decided x_rate", "100 万元", "75 万元", "up_to", "eligible"),
        # x up to 10% × 100 万 = 10 万 (its cap not given), so at least 0; y 20% × 0 = 0:
        # x is never lower, and listed first it wins the tie: y is not paid.
        ("10% × cost", "x_limit", "0 元", "up_to", "not_eligible"),
    ],
)
def test_keep_highest_excludes_only_what_is_surely_lower(
    tmp_path: Path, x_amount: str, x_cap: str, other_cost: str, x_kind: str, y_status: str
) -> None:
    text = _BOUNDS.format(x_amount=x_amount, x_cap=x_cap)
    (tmp_path / "t.rule").write_text(text, encoding="utf-8")
    policy = policyrules.load(tmp_path)
    facts = {"firms": [{"id": "f", "cost": "100 万元", "other_cost": other_cost}]}
    got = _by_name(policy.evaluate(facts), "f")
    assert got["x"].amount_kind == x_kind
    assert got["y"].status == y_status
    assert got["y"].exclusivity is not None
    assert got["y"].exclusivity.outcome == (
        "not_paid" if y_status == "not_eligible" else "undecided"
    )
    assert got["y"].exclusivity.other == "d/1/x"
    # the trace marks the exclusion failed when it fails the claim, and open (None) when it
    # leaves the claim at most
    failed = y_status == "not_eligible"
    assert [s.ok for s in got["y"].trace if s.kind == "exclusive"] == [False if failed else None]


def test_keep_listed_names_the_award_listed_first(tmp_path: Path) -> None:
    """`keep listed`: x (10% × 100 万 = 10 万) is listed first and eligible, so y (20% × 100 万
    = 20 万, higher) is not paid; its note names x and its amount, its trace step fails."""
    text = _BOUNDS.format(x_amount="10% × cost", x_cap="100 万元")
    text = text.replace("keep highest ties by listed", "keep listed")
    (tmp_path / "t.rule").write_text(text, encoding="utf-8")
    facts = {"firms": [{"id": "f", "cost": "100 万元", "other_cost": "100 万元"}]}
    got = _by_name(policyrules.load(tmp_path).evaluate(facts), "f")
    note = got["y"].exclusivity
    assert (got["x"].status, got["x"].amount) == ("eligible", Money(10 * WAN))
    assert got["y"].status == "not_eligible"
    assert note is not None
    assert (note.outcome, note.other, note.other_amount) == ("not_paid", "d/1/x", Money(10 * WAN))
    assert [s.ok for s in got["y"].trace if s.kind == "exclusive"] == [False]


def test_a_tie_without_a_tie_rule_is_left_to_the_agency(tmp_path: Path) -> None:
    """No `ties by`: x = 10% × 100 万 = 10 万 and y = 20% × 50 万 = 10 万 tie; the text says
    nothing on ties, so each is unknown (E423), its note naming the other award."""
    text = _BOUNDS.format(x_amount="10% × cost", x_cap="100 万元")
    (tmp_path / "t.rule").write_text(text.replace(" ties by listed", ""), encoding="utf-8")
    policy = policyrules.load(tmp_path)
    facts = {"firms": [{"id": "f", "cost": "100 万元", "other_cost": "50 万元"}]}
    got = _by_name(policy.evaluate(facts), "f")
    for me, other in (("x", "d/1/y"), ("y", "d/1/x")):
        note = got[me].exclusivity
        assert got[me].status == "unknown"
        assert any(r.startswith("E423") for r in got[me].reasons)
        assert note is not None
        assert (note.outcome, note.other, note.other_amount) == ("tie", other, Money(10 * WAN))


def test_instalments_of_an_unknown_amount_are_each_unknown(scheduled: policyrules.Policy) -> None:
    """The investment not given: the entitlement, so each of the three instalments, is
    unknown, and the investment is named as the fact that would decide it."""
    (d,) = scheduled.evaluate({"firms": [{"id": "F", "approved_on": "2025-06-01"}]}).decisions
    assert d.amount is None
    assert [(p.year, p.amount) for p in d.schedule] == [(2025, None), (2026, None), (2027, None)]
    assert any("investment" in m for m in d.missing_facts)
