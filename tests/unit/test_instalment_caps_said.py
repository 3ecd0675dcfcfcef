"""An award paid in instalments names the caps that cut it, as a claim paid at once does
(issue 10): a cap that sees the entitlement whole (每家企业累计不超过 300 万元 over an award
of 500 万元 in three instalments) and a cap of a year that cut a payment (每家企业每年拨付不超
过 100 万元) are events of the decision (``caps``, ``binding``), lines of its English and
Chinese texts, ``explain``'s and ``decision_texts``'', and its JSON caps.  Before, only the
trace said it (``caps`` was empty).  Amounts worked by hand; 1 万元 = 1,000,000 fen.
"""

from __future__ import annotations

from typing import Any

from tests.strategies import compile_text

from policyrules.api import Policy
from policyrules.runtime.money import Money

WAN = 1_000_000  # fen in 1 万元

RULE = """document t "测试"
  valid from 2025-01-01 to 2030-12-31

entity firm "企业"
  list firms

entity project "项目"
  list projects of firm
  fact approved_on: date "立项日期"
  fact reward: money "奖励金额"

clause 1
  quote "对立项项目给予奖励，分三年拨付（40%、30%、30%），每家企业累计不超过300万元。"

  award staged "立项奖励（分三年拨付）"
    for each project
    eligible when approved_on in force
    amount reward
    cap 300 万元 per firm
    paid over 3 years from approved_on: 40%, 30%, 30% remainder last

clause 2
  quote "对立项项目给予奖励，分三年拨付（40%、30%、30%），每家企业每年拨付不超过100万元。"

  award per_year "立项奖励（每年拨付上限）"
    for each project
    eligible when approved_on in force
    amount reward
    cap 100 万元 per firm per year of payment_year()
    paid over 3 years from approved_on: 40%, 30%, 30% remainder last
"""

# An earlier project P0 of F1 was granted 100 万元 under clause 1 (2025) and 30 万元 under
# clause 2 (2026); P1 (立项 2026-03-01) asks 500 万元 under each.
FACTS: dict[str, Any] = {
    "as_of": "2026-06-30",
    "ledger": [
        {
            "provision": "t/1/staged",
            "firm": "F1",
            "project": "P0",
            "amount": "100万元",
            "year": 2025,
        },
        {
            "provision": "t/2/per_year",
            "firm": "F1",
            "project": "P0",
            "amount": "30万元",
            "year": 2026,
        },
    ],
    "firms": [
        {"id": "F1", "projects": [{"id": "P1", "approved_on": "2026-03-01", "reward": "500万元"}]}
    ],
}


def _result() -> Any:
    policy: Policy = compile_text(RULE)
    return policy.evaluate(policy.read_facts(FACTS))


def _decision(result: Any, provision: str) -> Any:
    (d,) = [d for d in result.decisions if d.provision == provision]
    return d


def _block(text: str, title: str) -> str:
    """The lines of the decision of ``text`` whose head names ``title``."""
    return text.split(title, 1)[1].split("\n\n", 1)[0]


def test_a_cap_of_the_entitlement_is_the_decisions_binding_cap() -> None:
    """300 万元 per firm, 100 万元 used by P0 (the ledger): room 300 − 100 = 200 万元, so the
    entitlement 500 万元 is cut by 300 万元 to 200 万元, paid 40% / 30% / 30%: 80 万, 60 万,
    60 万元 (2026 due, 2027–2028 not yet)."""
    d = _decision(_result(), "t/1/staged")
    assert d.amount == Money(200 * WAN)
    assert [p.amount for p in d.schedule] == [Money(80 * WAN), Money(60 * WAN), Money(60 * WAN)]
    (ev,) = d.caps
    assert ev.binding
    assert (ev.cap, ev.scope) == ("300 万元 per firm", "firm F1")
    assert (ev.limit, ev.used_before) == (Money(300 * WAN), Money(100 * WAN))
    assert (ev.before, ev.after, ev.cut) == (Money(500 * WAN), Money(200 * WAN), Money(300 * WAN))


def test_the_texts_say_the_cap_as_a_claim_paid_at_once() -> None:
    result = _result()
    zh = _block(result.explain(lang="zh"), "立项奖励（分三年拨付） —— 对象：F1/P1")
    assert (
        "  上限：单个企业不超过 300 万元（企业 F1）：此前已获 100 万元（台账已记录，先于本次各项"
        "计入）；此上限起作用：500 万元 核减 300 万元，为 200 万元"
    ) in zh.splitlines()
    en = "cap 300 万元 per firm [firm F1]: limit 300 万元; already granted 100 万元 (recorded, "
    en += "counted before this evaluation's claims); BINDS: 500 万元 cut by 300 万元 to 200 万元"
    assert (
        f"  {en}"
        in _block(result.explain(lang="en"), "立项奖励（分三年拨付） · F1/P1").splitlines()
    )
    (said,) = [t for t in result.decision_texts() if "t/1/staged" in t]
    assert f"  {en}" in said.splitlines()
    (d,) = [d for d in result.to_json()["decisions"] if d["provision"] == "t/1/staged"]
    (cap,) = d["caps"]
    assert (cap["cap"], cap["binding"], cap["limit"]) == ("300 万元 per firm", True, "3000000.00")


def test_a_cap_of_a_year_names_each_payment_it_cut() -> None:
    """100 万元 per firm a year.  2026: 40% × 500 万 = 200 万元, the room 100 − 30 (P0's) = 70
    万元: cut by 130 万 to 70 万.  2027: by then 70% × 500 = 350 万元 is due, 70 万 paid: 280
    万元, cut by 180 万 to 100 万.  2028: 500 − 170 = 330 万元, cut by 230 万 to 100 万.  270
    万元 in all (a yearly cap limits what a year pays: docs/patterns/years.md)."""
    result = _result()
    d = _decision(result, "t/2/per_year")
    assert d.amount == Money(270 * WAN)
    cuts = [
        (ev.scope, ev.used_before.fen // WAN, ev.before.fen // WAN, ev.after.fen // WAN)
        for ev in d.caps
        if ev.binding
    ]
    assert cuts == [
        ("firm F1, year 2026", 30, 200, 70),
        ("firm F1, year 2027", 0, 280, 100),
        ("firm F1, year 2028", 0, 330, 100),
    ]
    zh = _block(result.explain(lang="zh"), "立项奖励（每年拨付上限） —— 对象：F1/P1").splitlines()
    assert (
        "  上限：单个企业每个拨付年度不超过 100 万元（企业 F1，2026年度）：此前已获 30 万元"
        "（台账已记录，先于本次各项计入）；此上限起作用：200 万元 核减 130 万元，为 70 万元"
    ) in zh


def test_a_cap_that_cuts_nothing_is_listed_not_binding() -> None:
    """A cap of the entitlement that leaves it is listed as a claim paid at once lists it:
    100 万元 asked, 300 − 100 = 200 万元 of room, nothing cut (40 万, 30 万, 30 万元)."""
    facts = {**FACTS, "firms": [{"id": "F1", "projects": [{**FACTS["firms"][0]["projects"][0]}]}]}
    facts["firms"][0]["projects"][0]["reward"] = "100万元"
    policy = compile_text(RULE)
    d = _decision(policy.evaluate(policy.read_facts(facts)), "t/1/staged")
    assert d.amount == Money(100 * WAN)
    (ev,) = d.caps
    assert not ev.binding
    assert ev.used_before == Money(100 * WAN)
    assert [c for c in d.caps if c.binding] == []
