"""An earlier claim still undecided is said with its amount as a bound (至多 / up to), never
as a fixed amount; so is a total of earlier claims that holds one (a native reader's trial:
open earlier claims were shown as fixed amounts).

The policy: each product is paid its reward, at most 100 万元 a claim and 150 万元 a firm, in
product order.  P1's reward is not given, so it holds up to 100 万元 (its own cap); P2, P3
are paid 20 万元 each (exact: 100 + 20 + 20 = 140 ≤ 150); P4 would take the firm to 160 >
150 if P1 took all it may, so it is up to 20 万元; P5, P6 likewise.  Before P5 the firm's
account holds 4 claims whose bounds add up to 100 + 20 + 20 + 20 = 160 万元, but the firm's
cap lets them take 150 万元 at most together: the total is said as the cap's limit, with the
sum beside it (a native reader's trial: "合计至多 160 万元" under a cap of 150 万元 was true
but read as if 160 万元 could be taken).
"""

from __future__ import annotations

from policyrules.explain import decision_text
from policyrules.explain_zh import decision_text_zh
from policyrules.runtime.claim_log import ClaimLog
from strategies import compile_text
from support import PRODUCT_RULES, WAN

POLICY = compile_text(
    PRODUCT_RULES.replace("cap 100 万元 per firm", "cap 100 万元\n    cap 150 万元 per firm")
)
PRODUCTS = [{"id": "P1", "remark": "-"}] + [
    {"id": f"P{k}", "reward": "20 万元", "remark": "-"} for k in range(2, 7)
]


def _decisions() -> dict[str, object]:
    result = POLICY.evaluate({"firms": [{"id": "f1", "products": PRODUCTS}]})
    return {d.subject.rsplit("/", 1)[-1]: d for d in result.decisions}


def test_an_undecided_earlier_claim_is_said_as_a_bound() -> None:
    ds = _decisions()
    assert ds["P1"].amount_kind == "up_to"
    assert ds["P3"].amount_kind == "exact"
    zh = decision_text_zh(ds["P3"])
    assert "本次结果中在先的申请：f1/P1 至多 100 万元、f1/P2 20 万元" in zh
    en = decision_text(ds["P3"])
    assert "before this claim: f1/P1 up to 100 万元, f1/P2 20 万元" in en


def test_a_total_holding_an_undecided_claim_is_a_bound() -> None:
    ds = _decisions()
    zh = decision_text_zh(ds["P5"])
    # 100 + 20 + 20 + 20 = 160 万元 of bounds > the firm's 150 万元: the cap bounds the total
    assert (
        "共 4 笔，合计至多 150 万元（各笔上限之和为 160 万元，受本上限约束）；"
        "最近 3 笔：f1/P2 20 万元、f1/P3 20 万元、f1/P4 至多 20 万元" in zh
    )
    assert "160 万元；" not in zh
    en = decision_text(ds["P5"])
    assert (
        "4 claims, up to 150 万元 in all (their bounds add up to 160 万元; the cap holds them "
        "to its limit); the last 3: f1/P2 20 万元, f1/P3 20 万元, f1/P4 up to" in en
    )


def test_a_total_under_the_cap_or_under_a_raised_cap_is_said_as_the_sum() -> None:
    """The cap's limit is said only where it is below the sum and every claim of the
    account is cut against that one limit: not where an exception may raise it for some
    claims (an earlier claim may then have taken more than this one's limit)."""
    log = ClaimLog()
    log.append("f1/P1", 100 * WAN, certain=False, held=("d/1/grant", "amount"))
    for k in (2, 3, 4):
        log.append(f"f1/P{k}", 20 * WAN)
    # 100 + 3 × 20 = 160 万元 of bounds
    assert log.bounded(4, 150 * WAN) == 150 * WAN
    assert log.bounded(4, 160 * WAN) is None  # the sum is not above the limit
    assert log.bounded(4, None) is None  # no one limit known
    assert log.describe(4, 3, 200 * WAN).startswith("4 claims, up to 160 万元 in all; the last 3")
    decided = ClaimLog()
    for k in range(4):
        decided.append(f"f1/P{k}", 50 * WAN)
    assert decided.bounded(4, 150 * WAN) is None  # 4 × 50 = 200 万元 decided: no bound to say
    raised = compile_text(
        PRODUCT_RULES.replace(
            "cap 100 万元 per firm",
            "cap 100 万元\n    cap 150 万元 per firm\n"
            '      unless remark = "major" raise to 300 万元',
        )
    )
    result = raised.evaluate({"firms": [{"id": "f1", "products": PRODUCTS}]})
    p5 = next(d for d in result.decisions if d.subject == "f1/P5")
    assert "共 4 笔，合计至多 160 万元；" in decision_text_zh(p5)


def test_the_whole_texts_say_the_same_as_the_decisions() -> None:
    """The texts made from the evaluator's record (the paid claims' fast texts) say what
    the decisions' own texts say."""
    result = POLICY.evaluate({"firms": [{"id": "f1", "products": PRODUCTS}]})
    again = POLICY.evaluate({"firms": [{"id": "f1", "products": PRODUCTS}]})
    whole = result.explain()
    for d in again.decisions:
        assert decision_text_zh(d, POLICY.words) in whole
    assert "合计至多 150 万元（各笔上限之和为 160 万元，受本上限约束）" in whole
    assert list(result.decision_texts()) == [decision_text(d) for d in again.decisions]


def test_decided_claims_totals_are_amounts() -> None:
    log = ClaimLog()
    for k in range(4):
        log.append(f"f1/P{k}", 20_0000_00)
    assert log.describe(3) == "f1/P0 20 万元, f1/P1 20 万元, f1/P2 20 万元"
    # 4 × 20 = 80 万元, decided: an amount
    assert (
        log.describe(4)
        == "4 claims, 80 万元 in all; the last 3: f1/P1 20 万元, f1/P2 20 万元, f1/P3 20 万元"
    )
    log.append("f1/P4", 10_0000_00, certain=False, held=("d/1/grant", "amount"))
    log.append("f1/P5", 20_0000_00)
    # 4 × 20 + 10 + 20 = 110 万元, a bound since P4 is undecided
    assert log.describe(6) == (
        "6 claims, up to 110 万元 in all; the last 3: f1/P3 20 万元, f1/P4 up to 10 万元, "
        "f1/P5 20 万元"
    )
    assert not log.total_at_most(4)  # P4 is not among the first 4
    log.append_open("f1/P6", ("d/1/grant", "amount"))
    assert not log.total_at_most(7)  # one nothing bounds: the total is no bound at all
    assert log.texts(6, 7, "(amount unknown)", "up to ") == ["f1/P6 (amount unknown)"]
