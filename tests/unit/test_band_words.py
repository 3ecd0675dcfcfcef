"""Progressive bands (超额累进) said by both their bounds: in Chinese words (the measure
summary, ``explain POLICY CLAUSE``, the clause reference) as tax and subsidy texts say them,
不超过 1000 万元的部分 / 超过 1000 万元至 3000 万元的部分 / 超过 3000 万元的部分, and in
the trace, ``band above 1000 万元 up to 3000 万元 pays 8%``.  Before, a middle band read
``3000 万元以下部分按8%``, as if the whole part below 3000 万元 took 8%."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.strategies import compile_text

import policyrules
from policyrules import syntax as s
from policyrules.summary import measure_summary
from policyrules.words import Words

ROOT = Path(__file__).resolve().parents[2]

HEAD = """entity firm "企业"
  list firms
  fact base: money "研发投入"

parameter p_low: money "第一档上限"

document d "测试"
  valid from 2025-01-01 to 2028-12-31

clause 1
  quote "q"

  award a
    for each firm
    amount progressive base
"""


def _policy(bands: str) -> policyrules.Policy:
    """``amount progressive base BANDS``, the bands separated by ``;``."""
    return compile_text(HEAD + "".join(f"      {b.strip()}\n" for b in bands.split(";")))


def _said(bands: str) -> str:
    """The amount of ``progressive base BANDS`` in Chinese words."""
    policy = _policy(bands)
    (p,) = [p for p in policy.checked.provisions() if p.id == "d/1/a"]
    assert p.amount is not None
    assert isinstance(p.amount.expr, s.Progressive)
    return Words.of(policy.checked).expr(p.amount.expr, p.subject)


@pytest.mark.parametrize(
    ("bands", "words"),
    [
        (
            "band up to 1000 万元 pays 10%; band up to 3000 万元 pays 8%; band above pays 5%",
            "研发投入分段计算（不超过 1000 万元的部分按 10%、"
            "超过 1000 万元至 3000 万元的部分按 8%、超过 3000 万元的部分按 5%）",
        ),
        # a limit given by a parameter, or by an expression: the lower bound of a band is
        # the limit of the one before, said the same way (an expression in （）)
        (
            "band up to p_low pays 10%; band up to p_low + 2000 万元 pays 8%; band above pays 5%",
            "研发投入分段计算（不超过第一档上限的部分按 10%、"
            "超过第一档上限至（第一档上限加 2000 万元）的部分按 8%、"
            "超过（第一档上限加 2000 万元）的部分按 5%）",
        ),
        # without `band above` the part above the last limit pays nothing, and says so
        (
            "band up to 1000 万元 pays 10%; band up to 3000 万元 pays 8%",
            "研发投入分段计算（不超过 1000 万元的部分按 10%、"
            "超过 1000 万元至 3000 万元的部分按 8%、超过 3000 万元的部分不予计算）",
        ),
        (
            "band up to 1000 万元 pays 10%",
            "（不超过 1000 万元的部分按 10%、超过 1000 万元的部分不予计算）",
        ),
        ("band above pays 5%", "研发投入分段计算（全部按 5%）"),
    ],
    ids=["three", "parameter-and-expression", "no-band-above", "one-limit", "only-above"],
)
def test_each_band_is_said_by_its_lower_and_upper_bound(bands: str, words: str) -> None:
    said = _said(bands)
    assert said.endswith(words)
    assert "以下部分" not in said


def test_the_measure_summary_of_the_guide_s_bands() -> None:
    """第五条 of the patterns policy (docs/patterns/amounts.md): 1000 万元 / 5000 万元 / above,
    as ``policyrules explain policies/patterns patterns_amounts/5`` prints it."""
    patterns = policyrules.load(ROOT / "policies" / "patterns")
    clause = patterns.checked.clause("patterns_amounts/5")
    assert clause is not None
    assert measure_summary(patterns.checked, clause).grants == (
        "资金支持：年度研发投入（第五条）分段计算（不超过 1000 万元的部分按 10%、"
        "超过 1000 万元至 5000 万元的部分按 7%、超过 5000 万元的部分按 5%）",
    )


def test_the_trace_says_each_band_by_its_bounds() -> None:
    """6000 万元 in three bands: 1000 万 × 10% + 2000 万 × 8% + 3000 万 × 5% = 410 万."""
    bands = "band up to 1000 万元 pays 10%; band up to 3000 万元 pays 8%; band above pays 5%"
    result = _policy(bands).evaluate({"firms": [{"id": "f", "base": "6000万元"}]})
    (d,) = result.decisions
    assert d.amount == policyrules.Money.of(410, "万元")
    lines = [st.text for st in d.trace if st.kind == "amount" and st.text.startswith("band")]
    assert lines == [
        "band up to 1000 万元 pays 10%: 1000 万元 × 10% = 1,000,000.00 元",
        "band above 1000 万元 up to 3000 万元 pays 8%: 2000 万元 × 8% = 1,600,000.00 元",
        "band above 3000 万元 pays 5%: 3000 万元 × 5% = 1,500,000.00 元",
    ]
    assert "band above 1000 万元 up to 3000 万元 pays 8%" in result.explain(verbose=True, lang="en")
