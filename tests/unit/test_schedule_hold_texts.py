"""What a cap's line and a schedule's lines say of earlier claims, and of earlier claims not
settled holding room (issue 9), where awards paid over time share a cap:

- a cap over all years counts each payment of a schedule: its line counts claims, names
  the last 3 claims each once with the sum of its payments there, and says the payments
  where they are more (JSON: ``earlier_count`` the entries, ``earlier_claims`` the claims);
- the claims holding room are named each once (a cap's ``held``, a payment's ``held_by``),
  and counted each once over all of a claim's caps and payments (``held_count``);
- each year's line of a schedule names the claims holding that year's room, in the words
  of a claim paid at once.

1 万元 = 1,000,000 fen.  The rules and facts are those of ``test_schedule_holds``.
"""

from __future__ import annotations

from typing import Any

from tests.strategies import compile_text
from tests.unit.test_schedule_holds import (
    POOL_R6,
    POOL_RULE,
    POOL_UNDECIDED,
    WAN,
    _by,
    _facts,
)

from policyrules.api import Policy
from policyrules.explain_zh import explain_text_zh
from policyrules.runtime.money import Money

# POOL_RULE's pool as one cap ever, and a one-time launch award under it.
EVER = (
    POOL_RULE.replace("POOL", "cap 600 万元 per firm shared firm_pool ever")
    .replace('  service "服务项目",', '  service "服务项目",\n  launch "上市产品",')
    .replace("  fact service_on:", '  fact launched_on: date "获批日期"\n  fact service_on:')
    + """
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
)


def _ever() -> Policy:
    return compile_text(EVER)


def _cap(result: Any, provision: str, subject: str) -> dict[str, Any]:
    (d,) = [
        d
        for d in result.to_json()["decisions"]
        if (d["provision"], d["subject"]) == (provision, subject)
    ]
    (cap,) = d["caps"]
    return dict(cap)


def _line(text: str, start: str) -> str:
    """The first line of ``text`` that starts (after its indent) with ``start``."""
    return next(line.strip() for line in text.splitlines() if line.strip().startswith(start))


def test_a_cap_line_counts_claims_and_names_each_once() -> None:
    """R1–R5 (investment unknown) each hold their bound in the account over all years,
    three payments: 150 万 + 75 万 + 75 万 and 2 fen (the remainder's bound, one fen for each
    other payment) = 3,000,000.02 元; R6 (30% × 100 万 = 30 万: 15 万 + 7.5 万 + 7.5 万) and
    S7 (50% × 100 万 = 50 万 a year, 150 万) are at most, held there too.  L1 after them: 7
    claims, 21 payments (7 × 3); their bounds 5 × 3,000,000.02 + 300,000 + 1,500,000 =
    16,800,000.10 元, held to the cap's 600 万元.  The last 3 claims: R5, R6, S7 (the last
    3 payments were S7's three, each 50 万)."""
    s7 = {"id": "S7", "kind": "service", "service_on": "2026-03-01", "fees": ["100 万元"] * 3}
    l1 = {"id": "L1", "kind": "launch", "launched_on": "2026-06-01"}
    result = _ever().evaluate(_facts(*POOL_UNDECIDED, POOL_R6, s7, l1), as_of="2028-12-31")
    en, zh = result.explain(lang="en"), result.explain(lang="zh")
    assert _line(en, "cap 600 万元 per firm ever") == (
        "cap 600 万元 per firm ever [firm F1]: limit 600 万元; before this claim: 7 claims "
        "(21 payments), up to 600 万元 in all (their bounds add up to 16,800,000.10 元; the "
        "cap holds them to its limit); the last 3: F1/R5 up to 3,000,000.02 元, F1/R6 up to "
        "30 万元, F1/S7 up to 150 万元"
    )
    assert _line(zh, "上限：单个企业累计不超过 600 万元") == (
        "上限：单个企业累计不超过 600 万元（与其他措施共用此额度）（企业 F1）：本次结果中在先的"
        "申请：共 7 笔（分 21 期拨付），合计至多 600 万元（各笔上限之和为 16,800,000.10 元，"
        "受本上限约束）；最近 3 笔：F1/R5 至多 3,000,000.02 元、F1/R6 至多 30 万元、"
        "F1/S7 至多 150 万元"
    )
    cap = _cap(result, "t/3/launch", "F1/L1")
    # The JSON lists entries (the last 3: S7's payments), and says what each count counts.
    assert cap["earlier"] == [["F1/S7", "500000.00"]] * 3
    assert (cap["earlier_count"], cap["earlier_claims"]) == (21, 7)
    # Held: the last 3 claims each once, with their payments' sum, and how many in all.
    assert [(h["subject"], h["why"], h["amount"]) for h in cap["held"]] == [
        ("F1/R5", "instalment", "3000000.02"),
        ("F1/R6", "amount", "300000.00"),
        ("F1/S7", "amount", "1500000.00"),
    ]
    assert cap["held_count"] == 7


def test_a_schedule_of_decided_payments_is_one_claim_in_a_paid_claims_text() -> None:
    """R1 and R2 known: 30% × 300 万 = 90 万 each, paid 45 万, 22.5 万, 22.5 万 (2026–2028);
    L2 and L3 then 100 万 each; L4 (100 万元): the account holds 90 + 90 + 100 + 100 = 380
    万, room 600 − 380 = 220 万 ≥ 100 万: granted, exact.  Its cap line: 4 claims of 8
    payments (3 + 3 + 1 + 1), 380 万元; the last 3 claims R2 (90 万), L2, L3.  The text of a
    granted claim (said from its row) and the general one say it alike."""
    known = [
        {
            "id": f"R{i}",
            "kind": "research",
            "research_on": f"2026-01-0{i + 1}",
            "investment": "300 万元",
        }
        for i in (1, 2)
    ]
    launches = [
        {"id": f"L{i}", "kind": "launch", "launched_on": f"2026-0{i + 1}-01"} for i in (2, 3, 4)
    ]
    policy, facts = _ever(), _facts(*known, *launches)
    # Said from the claims' rows where it can (a granted claim's), before any decision is made.
    rows = policy.evaluate(facts, as_of="2028-12-31")
    assert any(type(x) is str for x in rows._texts_zh(policy.words))
    zh = policy.evaluate(facts, as_of="2028-12-31").explain()
    result = policy.evaluate(facts, as_of="2028-12-31")
    l4 = _by(result, "t/3/launch", "F1/L4")
    assert (l4.amount, l4.amount_kind) == (Money(100 * WAN), "exact")
    assert zh == explain_text_zh(result, policy.words)
    en = result.explain(lang="en")
    assert _line(en.split("F1/L4")[1], "cap 600 万元 per firm ever") == (
        "cap 600 万元 per firm ever [firm F1]: limit 600 万元; before this claim: 4 claims "
        "(8 payments), 380 万元 in all; the last 3: F1/R2 90 万元, F1/L2 100 万元, F1/L3 100 万元"
    )
    said = (
        "本次结果中在先的申请：共 4 笔（分 8 期拨付），合计 380 万元；最近 3 笔："
        "F1/R2 90 万元、F1/L2 100 万元、F1/L3 100 万元"
    )
    assert said in _line(zh.split("F1/L4")[1], "上限：单个企业累计不超过 600 万元")
    # L2's line: R1 and R2 are two claims of three payments each, each said once.
    assert _line(en.split("F1/L2")[1], "cap 600 万元 per firm ever").endswith(
        "before this claim: F1/R1 90 万元, F1/R2 90 万元"
    )
    cap = _cap(result, "t/3/launch", "F1/L4")
    assert (cap["earlier_count"], cap["earlier_claims"], cap["held_count"]) == (8, 4, 0)


def test_a_payment_names_the_last_three_claims_not_one_schedule_thrice() -> None:
    """Under the cap ever, R6's payments see R1–R5's 15 entries (their three payments each):
    the last 3 entries are R5's, so each payment named R5 alone; it names R3, R4 and R5,
    each holding 3,000,000.02 元 there (150 万 + 75 万 + 75 万 and 2 fen), 5 in all."""
    result = _ever().evaluate(_facts(*POOL_UNDECIDED, POOL_R6), as_of="2028-12-31")
    r6 = _by(result, "t/1/research", "F1/R6")
    bound = Money(300 * WAN + 2)
    for p in r6.schedule:
        assert [(h.subject, h.amount) for h in p.held_by] == [
            ("F1/R3", bound),
            ("F1/R4", bound),
            ("F1/R5", bound),
        ]
        assert p.hold_count == 5
    (d,) = [
        d
        for d in result.to_json()["decisions"]
        if (d["provision"], d["subject"]) == ("t/1/research", "F1/R6")
    ]
    assert [[h["subject"] for h in p["held_by"]] for p in d["schedule"]] == [
        ["F1/R3", "F1/R4", "F1/R5"]
    ] * 3
