"""How an amount built of ``min()`` came out, in the trace (English) and the verbose Chinese
text: the trial's 贷款贴息 clause (issue hBP), 「按照企业实际支付利息的 50% 给予贴息,贴息利率
不超过同期贷款市场报价利率(LPR)」.  (The old code said ``· amount: amount: 172,500.00 元``,
the label doubled and the LPR ceiling that bound not shown.)
"""

from __future__ import annotations

from tests.unit.test_batch_min_max import L1, L2, SUBSIDY, _policy


def _text(loan: dict[str, object], lang: str) -> str:
    """The verbose text of the result for F1 with the one loan (both clauses)."""
    policy = _policy()
    raw = {"firms": [{"id": "F1", "sme": True, "loans": [loan]}]}
    result = policy.evaluate(policy.read_facts(raw))
    assert any(d.provision == SUBSIDY for d in result.decisions)
    return result.explain(verbose=True, lang=lang)


def test_the_trace_names_the_operand_taken_and_says_the_label_once() -> None:
    # L1: min(413,700.00, 10,000,000.00 × 3.45% = 345,000.00) = 345,000.00, the LPR ceiling;
    # 50% of it is 172,500.00 元
    text = _text(L1, "en")
    assert (
        "· amount: min(interest_paid, lpr of principal): interest_paid = 413,700.00 元; "
        "lpr of principal = 345,000.00 元; the least: lpr of principal"
    ) in text
    assert "· amount: 172,500.00 元" in text
    assert "amount: amount:" not in text


def test_the_chinese_text_says_which_was_taken() -> None:
    # L2: min(77,777.77, 3,333,333.33 × 3.1% = 103,333.333… → 103,333.33) = 77,777.77, the
    # interest paid; 50% of it is 38,888.885 → 38,888.88 元
    text = _text(L2, "zh")
    assert "金额：38,888.88 元（确定金额）" in text
    assert (
        "金额计算：企业实际支付的利息 77,777.77 元、贷款本金的同期贷款市场报价利率（LPR） "
        "103,333.33 元中取较小者：企业实际支付的利息，77,777.77 元"
    ) in text
    assert "· amount: 38,888.88 元" in text


def test_an_unknown_operand_is_no_derivation() -> None:
    """With the interest paid missing, min() is not computed: no line says a pick."""
    loan = {k: v for k, v in L1.items() if k != "interest_paid"}
    text = _text(loan, "zh")
    assert "金额计算" not in text
    assert "the least" not in text
