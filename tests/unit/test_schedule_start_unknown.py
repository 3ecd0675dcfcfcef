"""A payment schedule whose start is unknown may pay in any years: it holds the most it could
take in its shared caps, so no other claim under them is reported exact on room it may take
(issue 9, the kind "a missing fact holds nothing").  On main 6a48ff9 it held nothing: the
other project below was exact and granted.

中文：分年拨付的起始日期缺失时，各期可能落在任何年度；它在共用上限中预留可能取得的最高金额，
其他申请只能确定上限。
"""

from __future__ import annotations

from pathlib import Path

import policyrules
from policyrules import Money

PATTERNS = Path(__file__).resolve().parents[2] / "policies" / "patterns"
WAN = 10_000 * 100


def _decisions(projects: list[dict[str, object]], provision: str) -> dict[str, object]:
    policy = policyrules.load(PATTERNS)
    result = policy.evaluate({"firms": [{"id": "F", "projects": projects}]})
    return {d.subject: d for d in result.decisions if d.provision == provision}


def test_instalments_of_unknown_start_hold_their_entitlement_in_a_cap_ever() -> None:
    """patterns_years 第五条: 50% of the contract, 300 万元 per firm ever, paid over two
    years from the signing date, ordered by that date.  P1's date is missing (its
    eligibility too: `in force` reads it).  P1 if eligible: 50% × 500 = 250 万元 ≤ 300.
    P2 (signed 2026-03-01): 50% × 500 = 250 万元 if P1 gets nothing; if P1 was signed
    earlier it takes 250 and P2 gets 300 − 250 = 50 万元: P2 is up to 250 万元.
    中文：P1 签约日期缺失，若符合条件可得 250 万元；
    P2 最多 250 万元，最少 50 万元，只能确定上限。"""
    got = _decisions(
        [
            {"id": "P1", "service_contract": "500万元"},
            {"id": "P2", "service_signed_on": "2026-03-01", "service_contract": "500万元"},
        ],
        "patterns_years/5/digital_service_subsidy",
    )
    assert got["F/P1"].status == "unknown"
    assert (got["F/P2"].amount_kind, got["F/P2"].amount) == ("up_to", Money(250 * WAN))


def test_a_yearly_schedule_of_unknown_start_holds_in_every_window() -> None:
    """patterns_years 第四条: 80% of each year's premium, three years, 500 万元 per firm over
    any 3 years.  P1's insured date is missing: each of its payments may fall in any year,
    so it holds the cap's 500 万元 in every year.  P2 (insured 2026-01-15, 250 万元 a year):
    each year 80% × 250 = 200 万元, none exact (P1 may be of 2024–2028 and fill any
    window).  The bound counts every undecided claim as nothing, its own earlier payments
    too (each payment's bound must hold in every case): 200 + 200 + 200 = 600 万元, up to.
    中文：P1 投保日期缺失，各年度均预留 500 万元；
    P2 每年最多 200 万元，合计最多 600 万元，均不确定。"""
    got = _decisions(
        [
            {"id": "P1", "premiums_paid": ["250万元", "250万元", "250万元"]},
            {
                "id": "P2",
                "insured_on": "2026-01-15",
                "premiums_paid": ["250万元", "250万元", "250万元"],
            },
        ],
        "patterns_years/4/insurance_compensation",
    )
    p2 = got["F/P2"]
    assert (p2.amount_kind, p2.amount) == ("up_to", Money(600 * WAN))
    assert [(p.year, p.amount) for p in p2.schedule] == [
        (2026, Money(200 * WAN)),
        (2027, Money(200 * WAN)),
        (2028, Money(200 * WAN)),
    ]
