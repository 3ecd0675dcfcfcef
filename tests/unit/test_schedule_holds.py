"""Awards paid over time in a shared yearly pool, seen from outside (issue 9, last audit):

- a schedule whose amount or eligibility is unknown holds, in each year's shared caps, the
  most it could take (as a claim paid at once does, grammar/README.md "Claim order"), so a
  later claim of the pool is "up to", never an exact amount that the unknown one may take;
- instalments never pay, with the ledger's earlier instalments, more than the entitlement
  computed now (an award is an entitlement, docs/cli.md "The ledger").

1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import compile_text

from policyrules.api import Policy
from policyrules.runtime.money import Money

WAN = 1_000_000

RULE = """document t "测试"
  valid from 2026-01-01 to 2030-12-31

enum Kind "项目类别" {
  launch "上市产品",
  research "研发项目",
  service "服务项目",
}

entity firm "企业"
  list firms

entity project "项目"
  list projects of firm
  fact kind: Kind "项目类别"
  fact launched_on: date "获批日期"
  fact research_on: date "立项日期"
  fact investment: money "研发投入"
  fact key_project: bool "重大项目"
  fact fees: list of money "各年度服务费"
  fact service_on: date "服务开始日期"

clause 1
  quote "一次性奖励100万元，单个企业年度各项奖励合计不超过150万元。"

  award launch
    for each project
    eligible when kind = launch
    eligible when launched_on in force
    amount 100 万元
    once per project
    cap 150 万元 per firm per year of launched_on shared firm_pool
    order by launched_on, id

clause 2
  quote "按研发投入的30%给予支持，单个项目不超过PROJECT_CAP，分三年拨付（50%、25%、25%）。"

  award research
    for each project
    eligible when kind = research
    eligible when research_on in force
    eligible when key_project
    amount 30% of investment
    cap PROJECT_CAP per project
    cap 150 万元 per firm per year of payment_year() shared firm_pool
    paid over 3 years from research_on: 50%, 25%, 25% remainder last
    order by research_on, id

clause 3
  quote "按年度服务费的50%给予补贴，最长3年。"

  award service
    for each project
    eligible when kind = service
    eligible when service_on in force
    amount 50% of this_year(fees)
    cap 150 万元 per firm per year of payment_year() shared firm_pool
    paid yearly for 3 years from service_on
    order by service_on, id
"""


def _policy(project_cap: str = "300 万元") -> Policy:
    return compile_text(RULE.replace("PROJECT_CAP", project_cap))


@pytest.fixture(scope="module")
def policy() -> Policy:
    return _policy()


def _facts(*projects: dict[str, Any]) -> dict[str, Any]:
    return {"firms": [{"id": "F1", "projects": list(projects)}]}


# R1 starts 2026-02-01 (served before L1 of 2026-05-01 in the pool's one order).
# Each project states its kind: a project of another kind is no claim of an award (were its
# kind unknown, its missing date would leave it a possible claim of any year, holding room).
R1 = {
    "id": "R1",
    "kind": "research",
    "research_on": "2026-02-01",
    "key_project": True,
    "investment": "1000 万元",
}
L1 = {"id": "L1", "kind": "launch", "launched_on": "2026-05-01"}


def _by(result: Any, provision: str, subject: str) -> Any:
    return next(d for d in result.decisions if d.provision == provision and d.subject == subject)


@pytest.mark.parametrize(
    "unknown",
    [
        pytest.param({"investment": None}, id="amount unknown"),
        pytest.param({"key_project": None}, id="eligibility unknown"),
    ],
)
def test_an_unknown_instalment_schedule_holds_its_bound(
    policy: Policy, unknown: dict[str, Any]
) -> None:
    """R1's entitlement is at most 300 万元 (its per-project cap), its 2026 instalment at most
    50% × 300 万 = 150 万元: the whole 2026 pool.  L1 (served after R1) gets 100 万元 if R1
    gets nothing and 0 元 if R1 takes 150 万: up to 100 万元, and no grant."""
    r1 = {k: v for k, v in R1.items() if k not in unknown}
    result = policy.evaluate(_facts(r1, L1), as_of="2026-12-31")
    l1 = _by(result, "t/1/launch", "F1/L1")
    assert (l1.status, l1.amount, l1.amount_kind) == ("eligible", Money(100 * WAN), "up_to")
    assert result.grants == ()


def test_a_small_bound_leaves_the_later_claim_exact() -> None:
    """With a per-project cap of 40 万元, R1's 2026 instalment is at most 50% × 40 万 = 20 万元;
    L1 then gets min(100 万, 150 万 − 20 万 = 130 万) = 100 万元 either way: exact, granted."""
    policy = _policy("40 万元")
    r1 = {k: v for k, v in R1.items() if k != "investment"}
    result = policy.evaluate(_facts(r1, L1), as_of="2026-12-31")
    l1 = _by(result, "t/1/launch", "F1/L1")
    assert (l1.amount, l1.amount_kind) == (Money(100 * WAN), "exact")
    assert [(g.provision, g.amount) for g in result.grants] == [("t/1/launch", Money(100 * WAN))]


def test_an_unknown_yearly_payment_holds_the_room_of_its_year(policy: Policy) -> None:
    """S1 (from 2026-01-10, before L1) has no fee for 2026: its 2026 payment is unknown and at
    most the 150 万元 of the 2026 pool, so L1 is up to 100 万元 (0 元 if S1 takes it all)."""
    s1 = {"id": "S1", "kind": "service", "service_on": "2026-01-10", "fees": []}
    result = policy.evaluate(_facts(s1, L1), as_of="2026-12-31")
    l1 = _by(result, "t/1/launch", "F1/L1")
    assert (l1.amount, l1.amount_kind) == (Money(100 * WAN), "up_to")
    assert result.grants == ()


def test_known_instalments_are_unchanged(policy: Policy) -> None:
    """R1 known: 30% × 1000 万 = 300 万 (cap 300 万), 2026: 50% = 150 万, the whole pool;
    L1: 150 万 − 150 万 = 0 元, exact."""
    result = policy.evaluate(_facts(R1, L1), as_of="2026-12-31")
    l1 = _by(result, "t/1/launch", "F1/L1")
    assert (l1.amount, l1.amount_kind) == (Money(0), "exact")
    assert [(g.subject, g.year, g.amount) for g in result.grants] == [
        ("F1/R1", 2026, Money(150 * WAN))
    ]


LEDGER = [
    # Paid when the investment was given as 1000 万元: 300 万 in 150 万 + 75 万 + 75 万.
    {"provision": "t/2/research", "firm": "F1", "project": "R1", "amount": "150万元", "year": 2026},
    {"provision": "t/2/research", "firm": "F1", "project": "R1", "amount": "75万元", "year": 2027},
]


@pytest.mark.parametrize(
    ("investment", "last", "total"),
    [
        # 30% × 800 万 = 240 万; paid 150 万 + 75 万 = 225 万; 2028: min(25% × 240 万 = 60 万,
        # 240 万 − 225 万 = 15 万) = 15 万; in all 240 万, the entitlement.
        ("800 万元", 15 * WAN, 240 * WAN),
        # 30% × 500 万 = 150 万 < 225 万 already paid: 2028 pays 0 元; in all what was paid.
        ("500 万元", 0, 225 * WAN),
        # 30% × 1000 万 = 300 万: 2028 pays its 25% = 75 万; in all 300 万.
        ("1000 万元", 75 * WAN, 300 * WAN),
    ],
)
def test_instalments_never_pay_past_the_entitlement(
    policy: Policy, investment: str, last: int, total: int
) -> None:
    r1 = {**R1, "investment": investment}
    result = policy.evaluate(_facts(r1), ledger=LEDGER, as_of="2028-12-31")
    d = _by(result, "t/2/research", "F1/R1")
    assert [(p.year, p.status) for p in d.schedule] == [
        (2026, "paid"),
        (2027, "paid"),
        (2028, "due"),
    ]
    assert (d.schedule[-1].amount, d.amount, d.amount_kind) == (Money(last), Money(total), "exact")
    assert [g.amount for g in result.grants] == ([Money(last)] if last else [])


_POLICY = _policy()


@settings(max_examples=40, deadline=None)
@given(
    paid=st.lists(st.integers(0, 150), min_size=0, max_size=2),  # within the 300 万 cap
    investment=st.integers(0, 2000),
)
def test_paid_and_due_instalments_stay_within_the_entitlement(
    paid: list[int], investment: int
) -> None:
    """Whatever the ledger's earlier instalments (in 万元) and the investment now, the
    payments due now never take the schedule past max(entitlement, what was paid)."""
    ledger = [
        {
            "provision": "t/2/research",
            "firm": "F1",
            "project": "R1",
            "amount": f"{w}万元",
            "year": y,
        }
        for y, w in zip((2026, 2027), paid, strict=False)
        if w
    ]
    r1 = {**R1, "investment": f"{investment}万元"}
    result = _POLICY.evaluate(_facts(r1), ledger=ledger, as_of="2028-12-31")
    entitlement = min(investment * 30 * WAN // 100, 300 * WAN)
    before = sum(paid) * WAN
    now = sum(g.amount.fen for g in result.grants)
    assert before + now <= max(entitlement, before)


def test_the_entitlement_cut_is_said_in_both_languages_and_json(policy: Policy) -> None:
    """30% × 800 万 = 240 万; paid 225 万: 2028 is cut from 60 万 (25% × 240 万) to 15 万."""
    r1 = {**R1, "investment": "800 万元"}
    result = policy.evaluate(_facts(r1), ledger=LEDGER, as_of="2028-12-31")
    assert (
        "2028 (#3, 25%): 15 万元, due: granted now; cut from 60 万元 to what the entitlement"
        in (result.explain(lang="en"))
    )
    assert "（应得总额扣除本项其他各期拨付后所余，由 60 万元 减至此数）" in result.explain(
        lang="zh"
    )
    (d,) = [d for d in result.to_json()["decisions"] if d["provision"] == "t/2/research"]
    assert d["schedule"][-1] | {"share": None} == {
        "year": 2028,
        "index": 3,
        "status": "due",
        "dated": True,
        "amount": "150000.00",
        "share": None,
        "cap": "entitlement",
        "before": "600000.00",
        "held_by": [],
        "held_count": 0,
    }


def test_a_due_year_that_grants_nothing_does_not_say_granted(policy: Policy) -> None:
    """R1's investment is missing: its 2026 instalment is due but unknown and nothing is
    granted; the text must not say 本次拨付 / granted now for it."""
    r1 = {k: v for k, v in R1.items() if k != "investment"}
    result = policy.evaluate(_facts(r1), as_of="2026-12-31")
    assert result.grants == ()
    en, zh = result.explain(lang="en"), result.explain(lang="zh")
    assert "2026 (#1, 50%): unknown, due, not granted: its amount is not settled yet" in en
    assert "granted now" not in en
    assert "已到期，金额尚未确定，本次不拨付" in zh
    assert "本次拨付" not in zh.replace("本次不拨付", "")


# Five research projects before R6 in the firm's pool, their investment missing: each holds
# the most its instalments could be (300 万元 per project: 150 万 in 2026, 75 万 in 2027, 75 万
# and 2 fen in 2028, the remainder's bound).
UNDECIDED = [
    {"id": f"R{i}", "kind": "research", "research_on": f"2026-01-0{i + 1}", "key_project": True}
    for i in range(1, 6)
]
# R6 after them: 30% × 100 万 = 30 万, in 15 万, 7.5 万 and 7.5 万.
R6 = {**R1, "id": "R6", "investment": "100 万元"}


def test_a_payment_says_how_many_earlier_claims_hold_its_room(policy: Policy) -> None:
    """2026: R1–R5 hold 5 × 150 万 = 750 万 of the 150 万元 pool, none granted: R6's 15 万 >
    150 万 − 750 万, so it is at most, held by five claims (2027, 2028: 5 × 75 万 = 375 万 held,
    7.5 万 > 150 万 − 375 万; five again).  R6 names the last 3 of them and says five in all,
    as L1 (after R6) names its last 3 and says six: R1–R5 and R6, held too."""
    result = policy.evaluate(_facts(*UNDECIDED, R6, L1), as_of="2028-12-31")
    r6 = _by(result, "t/2/research", "F1/R6")
    assert (r6.amount, r6.amount_kind) == (Money(30 * WAN), "up_to")
    assert [(p.year, p.hold_count) for p in r6.schedule] == [(2026, 5), (2027, 5), (2028, 5)]
    assert [h.subject for h in r6.schedule[0].held_by] == ["F1/R3", "F1/R4", "F1/R5"]
    said = "F1/R5 under t/2/research holds 150 万元 (a payment of its schedule is unknown)"
    en, zh = result.explain(lang="en"), result.explain(lang="zh")
    # The years hold different amounts (150 万 in 2026, 75 万 after): each year's line names
    # its own (2026's, 2027's; 2028 the same as 2027), the amount's line counts them.
    assert (
        "up to 30 万元 (a bound, not an award: held by earlier claims in a shared cap: 5 in "
        "all, named in its years below)"
    ) in en
    assert f"{said} (5 in all; the last 3 shown)\n" in en
    assert "F1/R6 under t/2/research holds 15 万元 (its amount is not settled) (6 in all" in en
    said_zh = "F1/R5 按《测试》第2条“research”暂占 150 万元（其分年拨付中某一年度的金额尚未确定）"
    assert f"{said_zh}（共 5 笔，列出最近 3 笔）\n" in zh
    assert "F1/R6 按《测试》第2条“research”暂占 15 万元（其金额尚未确定）（共 6 笔" in zh
    decisions = result.to_json()["decisions"]
    (d,) = [d for d in decisions if (d["provision"], d["subject"]) == ("t/2/research", "F1/R6")]
    assert [(p["held_count"], len(p["held_by"])) for p in d["schedule"]] == [(5, 3)] * 3


# The pool of `RULE` as one cap ever (累计) or over two years, shared by research paid in
# instalments and services paid yearly.
POOL_RULE = """document t "测试"
  valid from 2026-01-01 to 2030-12-31

enum Kind "项目类别" {
  research "研发项目",
  service "服务项目",
}

entity firm "企业"
  list firms

entity project "项目"
  list projects of firm
  fact kind: Kind "项目类别"
  fact research_on: date "立项日期"
  fact investment: money "研发投入"
  fact fees: list of money "各年度服务费"
  fact service_on: date "服务开始日期"

clause 1
  quote "按研发投入的30%给予支持，单个项目不超过300万元，分三年拨付（50%、25%、25%）。"

  award research
    for each project
    eligible when kind = research
    eligible when research_on in force
    amount 30% of investment
    cap 300 万元 per project
    POOL
    paid over 3 years from research_on: 50%, 25%, 25% remainder last
    order by research_on, id

clause 2
  quote "按年度服务费的50%给予补贴，最长3年。"

  award service
    for each project
    eligible when kind = service
    eligible when service_on in force
    amount 50% of this_year(fees)
    POOL
    paid yearly for 3 years from service_on
    order by service_on, id
"""
POOL_UNDECIDED = [{k: v for k, v in p.items() if k != "key_project"} for p in UNDECIDED]
POOL_R6 = {"id": "R6", "kind": "research", "research_on": "2026-02-01", "investment": "100 万元"}


def test_a_cap_ever_counts_a_schedule_holding_each_payment_once() -> None:
    """Cap 600 万元 per firm ever: R1–R5 each hold 150 万 + 75 万 + 75 万 (+ 2 fen) there, three
    entries each, 15 in all.  R6's entitlement, 30 万: room 600 万, held 5 × 300 万 = 1500 万 >
    600 万 − 30 万, so at most, held by 5 claims (not 15).  S7 (50% × 100 万 = 50 万 a year)
    after R6: 50 万 > 600 万 − 1530 万 held, by R1–R6, 6 claims each year; from 2027 the account
    also holds S7's own earlier payments (at most too), not counted (7 if they were)."""
    policy = compile_text(POOL_RULE.replace("POOL", "cap 600 万元 per firm shared firm_pool ever"))
    s7 = {"id": "S7", "kind": "service", "service_on": "2026-03-01", "fees": ["100 万元"] * 3}
    result = policy.evaluate(_facts(*POOL_UNDECIDED, POOL_R6, s7), as_of="2028-12-31")
    r6 = _by(result, "t/1/research", "F1/R6")
    s7_ = _by(result, "t/2/service", "F1/S7")
    assert (r6.amount, r6.amount_kind) == (Money(30 * WAN), "up_to")
    assert [p.hold_count for p in r6.schedule] == [5, 5, 5]
    assert (s7_.amount, s7_.amount_kind) == (Money(150 * WAN), "up_to")
    assert [p.hold_count for p in s7_.schedule] == [6, 6, 6]
    en, zh = result.explain(lang="en"), result.explain(lang="zh")
    assert "(a payment of its schedule is unknown) (5 in all;" in en
    assert "(its amount is not settled) (6 in all;" in en
    assert "（其分年拨付中某一年度的金额尚未确定）（共 5 笔，" in zh
    assert "（其金额尚未确定）（共 6 笔，" in zh


def test_a_window_counts_a_claim_of_both_its_years_once() -> None:
    """Cap 150 万元 per firm over 2 years: R6's 2026 payment (15 万) sees 2025 (nothing) and
    2026 (R1–R5, 5 × 150 万 held): 5 claims.  Its 2027 payment (7.5 万) sees 2026 and 2027,
    R1–R5 holding room in each (10 entries) and its own 2026 payment at most in 2026: 5
    claims (6 with its own, 10 or 11 by entries); 2028 the same with 2027."""
    policy = compile_text(
        POOL_RULE.replace("POOL", "cap 150 万元 per firm shared firm_pool over 2 years")
    )
    result = policy.evaluate(_facts(*POOL_UNDECIDED, POOL_R6), as_of="2028-12-31")
    r6 = _by(result, "t/1/research", "F1/R6")
    assert (r6.amount, r6.amount_kind) == (Money(30 * WAN), "up_to")
    assert [p.hold_count for p in r6.schedule] == [5, 5, 5]
    en, zh = result.explain(lang="en"), result.explain(lang="zh")
    # (said in the years' lines: 2026's and 2028's, 2027's the same as 2026's)
    assert "(a payment of its schedule is unknown) (5 in all; the last 3 shown)\n" in en
    assert "（其分年拨付中某一年度的金额尚未确定）（共 5 笔，列出最近 3 笔）\n" in zh
    assert "held by earlier claims in a shared cap: the same as 2026\n" in en
    assert "共用上限中在先的申请尚未确定：同 2026 年度\n" in zh


def test_a_claim_paid_at_once_counts_a_schedule_once() -> None:
    """A one-time award (100 万元) under the same cap ever, after R1–R5: they hold 15 entries
    there (three payments each, 5 × 300 万 = 1500 万 > 600 万 − 100 万), five claims: L1 is up
    to 100 万元, held by 5 (it said 15), the last 3 named (R5's three payments named it
    alone: "the last 1 shown"), each with what its payments hold there: 150 万 + 75 万 + 75 万
    = 300 万元 (the bound of the whole: the remainder's own bound, 75 万 and 2 fen, cut to
    the 75 万 the whole leaves)."""
    rule = (
        POOL_RULE.replace("POOL", "cap 600 万元 per firm shared firm_pool ever")
        .replace('  service "服务项目",', '  service "服务项目",\n  launch "上市产品",')
        .replace("  fact service_on:", '  fact launched_on: date "获批日期"\n  fact service_on:')
    )
    rule += """
clause 3
  quote "一次性奖励100万元。"

  award launch
    for each project
    eligible when kind = launch
    eligible when launched_on in force
    amount 100 万元
    cap 600 万元 per firm shared firm_pool ever
    order by launched_on, id
"""
    l1 = {"id": "L1", "kind": "launch", "launched_on": "2026-06-01"}
    result = compile_text(rule).evaluate(_facts(*POOL_UNDECIDED, l1), as_of="2028-12-31")
    d = _by(result, "t/3/launch", "F1/L1")
    assert (d.amount, d.amount_kind) == (Money(100 * WAN), "up_to")
    held = "F1/R5 under t/1/research holds 300 万元 (a payment of its schedule is unknown)"
    assert "F1/R3 under t/1/research holds 300 万元" in result.explain(lang="en")
    assert f"{held} (5 in all; the last 3 shown))" in result.explain(lang="en")
    assert "（其分年拨付中某一年度的金额尚未确定）（共 5 笔，列出最近 3 笔））" in (
        result.explain(lang="zh")
    )
