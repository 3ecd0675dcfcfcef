"""W266 and W267: an award's constant amount that the text does not fix.

A new user encoded 示区科发〔2026〕3号 第五条 (「按照临床试验费用的一定比例给予支持，单个品种不超过
300万元」) as ``amount 300 万元``: ``check --strict`` passed (300 万元 is a figure of the quote, so
W212 had nothing to say) and ``eval`` paid 300 万元 (确定金额) to a drug with no trial cost.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules
from biomed_rule import BIOMED, variant, warnings
from policyrules.cli import main
from policyrules.quote_figures import ceiling_word, figures

POLICIES = Path(__file__).resolve().parents[2] / "policies"
RATE = "    amount trial_rate of trial_cost\n"
CEILING = variant(RATE, "    amount 300 万元\n")

HEAD = """entity firm "企业"
  list firms
  fact base: money
  fact ok: bool
  fact decided_amount: money

document d "测试"
  valid from 2025-01-01 to 2026-12-31

"""


def _warnings(quote: str, *lines: str, notes: tuple[str, ...] = ()) -> list[str]:
    body = "".join(f'  note "{n}"\n' for n in notes)
    inner = "".join(f"    {line}\n" for line in lines)
    text = f'{HEAD}clause 1 "t"\n  quote "{quote}"\n{body}\n  award a\n    for each firm\n{inner}'
    return [w.code for w in warnings(text, "W266", "W267")]


def test_the_ceiling_written_as_an_amount_is_w266(tmp_path: Path) -> None:
    """The new user's break warns at the literal, naming the quote's ceiling and its open
    rate, and ``check --strict`` fails; the policy as written is clean."""
    assert warnings(BIOMED, "W266", "W267") == []
    [w] = warnings(CEILING, "W266", "W267")
    assert w.code == "W266"
    assert "`amount 300 万元` pays as certain “300万元”" in w.message
    assert "under “不超过”" in w.message
    assert "“一定比例”" in w.message
    assert w.span is not None
    assert (w.span.line, w.span.col, w.span.clause_path) == (101, 12, ("示区科发〔2026〕3号", "五"))
    assert w.hint is not None
    assert "`cap 300 万元 per …`" in w.hint
    (tmp_path / "t.rule").write_text(CEILING, encoding="utf-8")
    assert main(["check", "--strict", str(tmp_path)]) == 1


@pytest.mark.parametrize(
    ("quote", "lines"),
    [
        # 不超过 before it, in another spelling than the rule's.
        ("对认定的项目，给予不超过三百万元奖励。", ["amount 300 万元"]),
        # 最高 … and a branch of an if.
        ("对认定的项目给予奖励，最高 300 万元。", ["amount if ok then 300 万元 else 0 元"]),
        # 以内 after it.
        ("对认定的项目给予 300 万元以内的奖励。", ["amount 300 万元"]),
        # A rate under a ceiling paid as the rate (京经信发〔2025〕50号 7: 按照不超过…的 50%).
        ("按照不超过总投资额的 50% 给予不超过 5000 万元支持。", ["amount 50% of base"]),
    ],
)
def test_a_ceiling_paid_as_certain_warns(quote: str, lines: list[str]) -> None:
    assert _warnings(quote, *lines) == ["W266"]


@pytest.mark.parametrize(
    ("quote", "lines"),
    [
        # The correct encodings: an unset rate or the agency's decided amount, capped.
        (
            "按照临床试验费用的一定比例给予支持，单个品种不超过300万元。",
            ["amount decided decided_amount", "cap 300 万元 per firm"],
        ),
        # A fixed amount beside a ceiling on something else (示区科发〔2026〕3号 一).
        ("给予一次性奖励500万元，单个企业年度奖励不超过1000万元。", ["amount 500 万元"]),
        # A fixed rate, then a ceiling (京经信发〔2025〕50号 7).
        (
            "按照项目工程投资的 30% 予以补助支持，最高不超过 5000 万元。",
            ["amount 30% of base", "cap 5000 万元 per firm"],
        ),
        # A ceiling word before an earlier figure of the sentence only.
        ("在不超过 1000 万元的总额内，给予每家 100 万元。", ["amount 100 万元"]),
        # The same figure both as a ceiling and as an amount: the text fixes it somewhere.
        ("给予 100 万元奖励，年度累计不超过 100 万元。", ["amount 100 万元"]),
        # A money range is no constant amount.
        ("给予 50 万元至 100 万元奖励。", ["amount 50 万元 to 100 万元 decided decided_amount"]),
    ],
)
def test_what_the_text_fixes_does_not_warn(quote: str, lines: list[str]) -> None:
    assert _warnings(quote, *lines) == []


@pytest.mark.parametrize(
    "quote",
    [
        "按照注册申请成本给予一定支持。",
        "按照研发投入的一定比例给予奖励。",
        "按照评定等级分级分档给予奖励，具体标准另行制定。",
    ],
)
def test_a_constant_amount_where_the_text_leaves_it_open_is_w267(quote: str) -> None:
    [w] = warnings(
        f'{HEAD}clause 1 "t"\n  quote "{quote}"\n\n  award a\n    for each firm\n'
        "    amount 100 万元\n",
        "W266",
        "W267",
    )
    assert w.code == "W267"
    assert "`amount 100 万元` is a constant" in w.message
    assert "“一定" in w.message or "“分档”" in w.message


def test_an_open_amount_beside_a_fixed_one_reads_the_provision_quote() -> None:
    """A clause that leaves one award open and fixes the other: the fixed one, quoting its own
    sentence, is not warned."""
    quote = "对A类项目按照投资的一定比例给予支持；对B类项目给予 100 万元奖励。"
    text = (
        f'{HEAD}clause 1 "t"\n  quote "{quote}"\n\n  award b\n    for each firm\n'
        '    quote "对B类项目给予 100 万元奖励。"\n    amount 100 万元\n'
    )
    assert warnings(text, "W266", "W267") == []


def test_a_note_stating_the_amount_silences_both() -> None:
    quote = "按照临床试验费用的一定比例给予支持，单个品种不超过300万元。"
    fixed = "实施细则定为每个品种支持 300 万元。"
    assert _warnings(quote, "amount 300 万元") == ["W266"]
    assert _warnings(quote, "amount 300 万元", notes=(fixed,)) == []
    # A note that only repeats the ceiling is no reading of the amount.
    assert _warnings(quote, "amount 300 万元", notes=("单个品种不超过300万元。",)) == ["W266"]
    assert _warnings("按照一定比例给予支持。", "amount 300 万元", notes=(fixed,)) == []


@pytest.mark.parametrize("directory", ["beijing_2025", "patterns"])
def test_shipped_policies_have_no_w266_or_w267(directory: str) -> None:
    found = policyrules.load(POLICIES / directory).checked.warnings
    assert [w for w in found if w.code in ("W266", "W267")] == []


def test_ceiling_words() -> None:
    text = "按照不超过总投资额的 50% 给予不超过 5000 万元支持，另给予 10 万元，20 万元以内。"
    stated = [f for f in figures(text) if f.kind != "count"]
    assert [(f.text, ceiling_word(text, f, stated)) for f in stated] == [
        ("50%", "不超过"),
        ("5000 万元", "不超过"),
        ("10 万元", None),
        ("20 万元", "以内"),
    ]
