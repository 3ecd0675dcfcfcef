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
    RULE,
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
    three payments: 150 万 + 75 万 + 75 万 = 300 万元, the bound of the whole (its per-project
    cap; the remainder's own bound, 75 万 and 2 fen, is cut to the 75 万 the whole leaves:
    :func:`test_a_schedule_holds_the_bound_of_its_whole_not_its_payments_sum`); R6 (30% ×
    100 万 = 30 万: 15 万 + 7.5 万 + 7.5 万) and S7 (50% × 100 万 = 50 万 a year, 150 万) are
    at most, held there too.  L1 after them: 7 claims, 21 payments (7 × 3); their bounds
    5 × 300 万 + 30 万 + 150 万 = 1680 万元, held to the cap's 600 万元.  The last 3 claims:
    R5, R6, S7 (the last 3 payments were S7's three, each 50 万)."""
    s7 = {"id": "S7", "kind": "service", "service_on": "2026-03-01", "fees": ["100 万元"] * 3}
    l1 = {"id": "L1", "kind": "launch", "launched_on": "2026-06-01"}
    result = _ever().evaluate(_facts(*POOL_UNDECIDED, POOL_R6, s7, l1), as_of="2028-12-31")
    en, zh = result.explain(lang="en"), result.explain(lang="zh")
    assert _line(en.split("F1/L1")[1], "cap 600 万元 per firm ever") == (
        "cap 600 万元 per firm ever [firm F1]: limit 600 万元; before this claim: 7 claims "
        "(21 payments), up to 600 万元 in all (their bounds add up to 1680 万元; the "
        "cap holds them to its limit); the last 3: F1/R5 up to 300 万元, F1/R6 up to "
        "30 万元, F1/S7 up to 150 万元"
    )
    assert _line(zh.split("F1/L1")[1], "上限：单个企业累计不超过 600 万元") == (
        "上限：单个企业累计不超过 600 万元（与其他措施共用此额度）（企业 F1）：本次结果中在先的"
        "申请：共 7 笔（分 21 期拨付），合计至多 600 万元（各笔上限之和为 1680 万元，"
        "受本上限约束）；最近 3 笔：F1/R5 至多 300 万元、F1/R6 至多 30 万元、"
        "F1/S7 至多 150 万元"
    )
    cap = _cap(result, "t/3/launch", "F1/L1")
    # The JSON's short list names the last 3 claims as the texts do, each with its
    # payments' sum (it listed the last 3 entries: S7's three payments, 50 万 each);
    # the counts say what each counts.
    assert cap["earlier"] == [
        ["F1/R5", "3000000.00"],
        ["F1/R6", "300000.00"],
        ["F1/S7", "1500000.00"],
    ]
    assert (cap["earlier_count"], cap["earlier_claims"]) == (21, 7)
    # all_earlier lists every entry: 21, each payment apart (S7's last three, 50 万 each).
    (d,) = [
        d
        for d in result.to_json(all_earlier=True)["decisions"]
        if (d["provision"], d["subject"]) == ("t/3/launch", "F1/L1")
    ]
    assert len(d["caps"][0]["earlier"]) == 21
    assert d["caps"][0]["earlier"][-3:] == [["F1/S7", "500000.00"]] * 3
    # Held: the last 3 claims each once, with their payments' sum, and how many in all.
    assert [(h["subject"], h["why"], h["amount"]) for h in cap["held"]] == [
        ("F1/R5", "instalment", "3000000.00"),
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
    each holding 300 万元 there (150 万 + 75 万 + 75 万, the bound of the whole), 5 in all."""
    result = _ever().evaluate(_facts(*POOL_UNDECIDED, POOL_R6), as_of="2028-12-31")
    r6 = _by(result, "t/1/research", "F1/R6")
    bound = Money(300 * WAN)
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


# RULE with a launch award whose eligibility may be unknown (key_project missing).
UNION_RULE = RULE.replace("PROJECT_CAP", "300 万元").replace(
    "    eligible when kind = launch\n",
    "    eligible when kind = launch\n    eligible when key_project\n",
)


def _years_held_apart() -> Any:
    """The 2026 pool (150 万元 per firm per year): S1 and S2 (from 2026-01-02, -03) are paid
    50% × 10 万 = 5 万 each for 2026, exact; their fees for 2027 and 2028 are missing, so each
    holds the whole 150 万元 of those years.  L2–L4 (2026-01-05…07, key_project unknown) each
    hold 100 万 of 2026.  R6 (2026-02-01, 30 万: 15 万, 7.5 万, 7.5 万): 2026: 15 万 > 150 −
    10 − 300 held, held by L2, L3, L4; 2027 and 2028: 7.5 万 > 150 − 300, held by S1, S2."""
    services = [
        {"id": f"S{i}", "kind": "service", "service_on": f"2026-01-0{i + 1}", "fees": ["10 万元"]}
        for i in (1, 2)
    ]
    launches = [
        {"id": f"L{i}", "kind": "launch", "launched_on": f"2026-01-0{i + 3}"} for i in (2, 3, 4)
    ]
    r6 = {
        "id": "R6",
        "kind": "research",
        "research_on": "2026-02-01",
        "key_project": True,
        "investment": "100 万元",
    }
    return compile_text(UNION_RULE).evaluate(_facts(*services, *launches, r6), as_of="2028-12-31")


S2_EN = "F1/S2 under t/3/service holds 150 万元 (a payment of its schedule is unknown)"
S2_ZH = "F1/S2 按《测试》第3条“service”暂占 150 万元（其分年拨付中某一年度的金额尚未确定）"


def test_a_schedule_counts_the_claims_holding_each_years_room_together() -> None:
    """(:func:`_years_held_apart`) Five claims hold R6's room, L2–L4 in 2026 and S1, S2 in
    2027 and 2028, not three (the most of one year): said 5 in all.  The years are held by
    different claims: the amount's line counts them and the years' lines name them
    (:func:`test_each_years_line_names_the_claims_holding_its_room`), each once."""
    result = _years_held_apart()
    d = _by(result, "t/2/research", "F1/R6")
    assert (d.amount, d.amount_kind) == (Money(30 * WAN), "up_to")
    assert [(p.year, [h.subject for h in p.held_by], p.hold_count) for p in d.schedule] == [
        (2026, ["F1/L2", "F1/L3", "F1/L4"], 3),
        (2027, ["F1/S1", "F1/S2"], 2),
        (2028, ["F1/S1", "F1/S2"], 2),
    ]
    en, zh = result.explain(lang="en"), result.explain(lang="zh")
    assert _line(en.split("F1/R6")[1], "amount: up to 30 万元").endswith(
        "held by earlier claims in a shared cap: 5 in all, named in its years below)"
    )
    assert _line(zh.split("F1/R6")[1], "金额：最高 30 万元").endswith(
        "共用上限中在先的申请尚未确定：共 5 笔，分列于下列各年度）"
    )


TWO_POOLS = """document t "测试"
  valid from 2026-01-01 to 2030-12-31

enum Kind "项目类别" {
  a "甲类",
  b "乙类",
  c "丙类",
}

entity firm "企业"
  list firms

entity project "项目"
  list projects of firm
  fact kind: Kind "项目类别"
  fact on: date "获批日期"
  fact approved: bool "经认定"

clause 1
  quote "甲类奖励100万元，单个企业年度合计不超过150万元。"

  award a
    for each project
    eligible when kind = a
    eligible when approved
    amount 100 万元
    cap 150 万元 per firm per year of on shared year_pool
    order by on, id

clause 2
  quote "乙类奖励100万元，单个企业累计不超过150万元。"

  award b
    for each project
    eligible when kind = b
    eligible when approved
    amount 100 万元
    cap 150 万元 per firm shared ever_pool ever
    order by on, id

clause 3
  quote "丙类奖励100万元，受以上两项上限约束。"

  award c
    for each project
    eligible when kind = c
    amount 100 万元
    cap 150 万元 per firm per year of on shared year_pool
    cap 150 万元 per firm shared ever_pool ever
    order by on, id
"""


def test_a_claim_under_two_caps_counts_their_holders_together() -> None:
    """A1, A2 (kind a, approval unknown) each hold 100 万 of the 2026 pool; B1, B2 (kind b)
    each 100 万 of the pool ever.  C1 (100 万元) is under both: 100 万 > 150 万 − 200 万 held
    in each, so up to 100 万元, held by A1, A2 in one cap and B1, B2 in the other: four
    claims, not two (the most of one cap); the last 3 named (A2, B1, B2)."""
    projects = [
        {"id": p, "kind": p[0].lower(), "on": f"2026-03-0{i}"}
        for i, p in enumerate(("A1", "A2", "B1", "B2"), 1)
    ]
    c1 = {"id": "C1", "kind": "c", "on": "2026-04-01"}
    result = compile_text(TWO_POOLS).evaluate(_facts(*projects, c1), as_of="2026-12-31")
    d = _by(result, "t/3/c", "F1/C1")
    assert (d.amount, d.amount_kind) == (Money(100 * WAN), "up_to")
    b2 = "F1/B2 under t/2/b holds 100 万元 (its eligibility is unknown)"
    en = _line(result.explain(lang="en").split("F1/C1")[1], "amount: up to 100 万元")
    assert en.startswith(
        "amount: up to 100 万元 (a bound, not an award: held by earlier claims in a shared "
        "cap: F1/A2 under t/1/a holds 100 万元"
    )
    assert en.endswith(f"{b2} (4 in all; the last 3 shown))")
    zh = _line(result.explain(lang="zh").split("F1/C1")[1], "金额：最高 100 万元")
    assert zh.endswith("（是否符合条件尚未确定）（共 4 笔，列出最近 3 笔））")
    # Each cap's JSON counts its own.
    (j,) = [j for j in result.to_json()["decisions"] if j["subject"] == "F1/C1" and j["caps"]]
    assert [(c["held_count"], [h["subject"] for h in c["held"]]) for c in j["caps"]] == [
        (2, ["F1/A1", "F1/A2"]),
        (2, ["F1/B1", "F1/B2"]),
    ]


def test_each_years_line_names_the_claims_holding_its_room() -> None:
    """(:func:`_years_held_apart`) R6's 2026 line names L2–L4, its 2027 line S1 and S2, in
    the words of a claim paid at once (its amount's line); none more than 3, so no count.
    2028 is held by the claims of 2027 (the same holds): said so, not named again (each
    year's line named them, and the amount's line the last 3 of all, before)."""
    result = _years_held_apart()
    en, zh = result.explain(lang="en"), result.explain(lang="zh")
    l4 = "F1/L4 under t/1/launch holds 100 万元 (its eligibility is unknown)"
    assert _line(en.split("F1/R6")[1], "2026 (#1, 50%)") == (
        "2026 (#1, 50%): 15 万元, due, not granted: its amount is not settled yet; held by "
        f"earlier claims in a shared cap: {l4.replace('L4', 'L2')}; "
        f"{l4.replace('L4', 'L3')}; {l4}"
    )
    s1 = S2_EN.replace("F1/S2", "F1/S1")
    assert _line(en.split("F1/R6")[1], "2027 (#2, 25%)") == (
        "2027 (#2, 25%): 75,000.00 元, due, not granted: its amount is not settled "
        f"yet; held by earlier claims in a shared cap: {s1}; {S2_EN}"
    )
    assert _line(en.split("F1/R6")[1], "2028 (#3, 25%)") == (
        "2028 (#3, 25%): 75,000.00 元, due, not granted: its amount is not settled "
        "yet; held by earlier claims in a shared cap: the same as 2027"
    )
    assert _line(zh.split("F1/R6")[1], "2028 年度（第 3 期，25%）").endswith(
        "；共用上限中在先的申请尚未确定：同 2027 年度"
    )
    # Each claim named once in R6's block (S1 and S2 were named in 2027, 2028 and the
    # amount's line; L4 in 2026 and the amount's line).
    block = en.split("F1/R6")[1].split("\n\n")[0]
    assert [block.count(f"F1/{c} under") for c in ("L2", "L3", "L4", "S1", "S2")] == [1] * 5
    block_zh = zh.split("F1/R6")[1].split("\n\n")[0]
    assert [block_zh.count(f"F1/{c} 按") for c in ("L2", "L3", "L4", "S1", "S2")] == [1] * 5
    s1_zh = S2_ZH.replace("F1/S2", "F1/S1")
    assert _line(zh.split("F1/R6")[1], "2027 年度（第 2 期，25%）") == (
        "2027 年度（第 2 期，25%）：75,000.00 元，已到期，金额尚未确定，本次不拨付；"
        f"共用上限中在先的申请尚未确定：{s1_zh}；{S2_ZH}"
    )
    l2_zh = "F1/L2 按《测试》第1条“launch”暂占 100 万元（是否符合条件尚未确定）"
    assert _line(zh.split("F1/R6")[1], "2026 年度（第 1 期，50%）").startswith(
        f"2026 年度（第 1 期，50%）：15 万元，已到期，金额尚未确定，本次不拨付；"
        f"共用上限中在先的申请尚未确定：{l2_zh}；"
    )


def test_a_schedule_holds_the_bound_of_its_whole_not_its_payments_sum() -> None:
    """R1 (investment unknown) is at most 300 万元 (its per-project cap), paid 50%, 25%,
    25% remainder last.  Each payment's bound alone, in fen: ⌊300,000,000 × 0.5⌋ =
    150,000,000; ⌊300,000,000 × 0.25⌋ = 75,000,000; the remainder 75,000,000 + 2 (a fen for
    each other payment's rounding) = 75,000,002.  Their sum, 300,000,002 fen = 3,000,000.02
    元, is above the cap: in the account over all years R1 holds the bound of the whole,
    150,000,000 + 75,000,000 + min(75,000,002, 300,000,000 − 225,000,000) = 300,000,000 fen
    = 300 万元.  L1 (300 万元) after it under the cap of 600 万元: room 600 万 − 300 万 held
    = 300 万 ≥ 300 万, so L1 is exact and granted whatever R1 is (it was up to 300 万元, held
    by R1's 3,000,000.02 元: 600 万 − 3,000,000.02 < 300 万)."""
    rule = EVER.replace("    amount 100 万元\n", "    amount 300 万元\n")
    l1 = {"id": "L1", "kind": "launch", "launched_on": "2026-06-01"}
    result = compile_text(rule).evaluate(_facts(POOL_UNDECIDED[0], l1), as_of="2028-12-31")
    d = _by(result, "t/3/launch", "F1/L1")
    assert (d.amount, d.amount_kind) == (Money(300 * WAN), "exact")
    assert [(g.subject, g.amount) for g in result.grants] == [("F1/L1", Money(300 * WAN))]
    en, zh = result.explain(lang="en"), result.explain(lang="zh")
    assert _line(en.split("F1/L1")[1], "cap 600 万元 per firm ever") == (
        "cap 600 万元 per firm ever [firm F1]: limit 600 万元; before this claim: F1/R1 up to "
        "300 万元"
    )
    assert "F1/R1 至多 300 万元" in _line(zh.split("F1/L1")[1], "上限：单个企业累计不超过 600 万元")
    assert "3,000,000.02" not in en + zh
    cap = _cap(result, "t/3/launch", "F1/L1")
    assert (cap["earlier"], cap["earlier_total"]) == ([["F1/R1", "3000000.00"]], "3000000.00")


def test_a_schedule_of_unknown_start_holds_the_bound_of_its_whole() -> None:
    """As :func:`test_a_schedule_holds_the_bound_of_its_whole_not_its_payments_sum`, R1's
    start (start_on) unknown: its payments may fall in any years, so it holds its whole
    bound in the cap ever at once, 300 万元 (it held its payments' bounds' sum, 150,000,000
    + 75,000,000 + 75,000,002 = 300,000,002 fen = 3,000,000.02 元).  L1 (300 万元): room
    600 万 − 300 万 = 300 万, exact."""
    rule = (
        EVER.replace("    amount 100 万元\n", "    amount 300 万元\n")
        .replace("paid over 3 years from research_on", "paid over 3 years from start_on")
        .replace("  fact service_on:", '  fact start_on: date "拨付起始日期"\n  fact service_on:')
    )
    r1 = {"id": "R1", "kind": "research", "research_on": "2026-01-02"}
    l1 = {"id": "L1", "kind": "launch", "launched_on": "2026-06-01"}
    result = compile_text(rule).evaluate(_facts(r1, l1), as_of="2028-12-31")
    assert any(
        "600 万元 per firm ever: 300 万元" in step.text
        for step in _by(result, "t/1/research", "F1/R1").trace
    )
    d = _by(result, "t/3/launch", "F1/L1")
    assert (d.amount, d.amount_kind) == (Money(300 * WAN), "exact")
    assert _line(result.explain(lang="en").split("F1/L1")[1], "cap 600 万元").endswith(
        "before this claim: F1/R1 up to 300 万元"
    )


def test_years_held_by_the_claims_the_amount_names_do_not_name_them_again() -> None:
    """Under the cap ever, R1–R5 hold R6's room for every payment (one account over all
    years, the same claims and amounts each year): its amount's line names the last 3 of
    the 5, as a claim paid at once's does, and each year's line refers to it; R3's, R4's
    and R5's names were said four times (the amount's line and each of the 3 years')."""
    policy = compile_text(POOL_RULE.replace("POOL", "cap 600 万元 per firm shared firm_pool ever"))
    result = policy.evaluate(_facts(*POOL_UNDECIDED, POOL_R6), as_of="2028-12-31")
    en, zh = result.explain(lang="en"), result.explain(lang="zh")
    block = en.split("F1/R6")[1].split("\n\n")[0]
    assert [block.count(f"F1/R{i} under") for i in (3, 4, 5)] == [1, 1, 1]
    assert _line(block, "amount: up to 30 万元").endswith("(5 in all; the last 3 shown))")
    assert _line(block, "2027 (#2, 25%)") == (
        "2027 (#2, 25%): 75,000.00 元, due, not granted: its amount is not settled yet; "
        "held by earlier claims in a shared cap: those named in its amount"
    )
    block_zh = zh.split("F1/R6")[1].split("\n\n")[0]
    assert [block_zh.count(f"F1/R{i} 按") for i in (3, 4, 5)] == [1, 1, 1]
    assert _line(block_zh, "2026 年度（第 1 期，50%）").endswith(
        "；共用上限中在先的申请尚未确定：即金额一行所列申请"
    )
    # JSON keeps each payment's claims (data, not text).
    (d,) = [
        d
        for d in result.to_json()["decisions"]
        if (d["provision"], d["subject"]) == ("t/1/research", "F1/R6")
    ]
    assert [[h["subject"] for h in p["held_by"]] for p in d["schedule"]] == [
        ["F1/R3", "F1/R4", "F1/R5"]
    ] * 3
