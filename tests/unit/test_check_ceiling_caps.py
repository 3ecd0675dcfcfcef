"""W271: a ceiling of an award's quote that its rules write nowhere.

A new user wrote 示区科发〔2026〕3号 第二条's 「最高不超过2000万元」 as ``cap 20% of
total_investment``: 20% is a figure of the quote, so W212 said nothing, ``check --strict``
passed, and a project with 1.5 亿元 of equipment (of 2 亿元 in all) was paid 3000 万元
(20% of 1.5 亿元, under the cap of 20% of 2 亿元 = 4000 万元) where the text allows 2000 万元.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from biomed_rule import BIOMED, variant, warnings
from policyrules.cli import main

CAP = "    cap 2000 万元 per project\n"
RATE_CAP = variant(CAP, "    cap 20% of total_investment\n")

HEAD = """entity firm "企业"
  list firms
  fact base: money
  fact revenue: money
  fact decided_amount: money
  fact special: bool

document d "测试"
  valid from 2025-01-01 to 2026-12-31

"""


def _codes(quote: str, *lines: str, notes: tuple[str, ...] = (), items: str = "") -> list[str]:
    body = "".join(f'  note "{n}"\n' for n in notes) + items
    inner = "".join(f"    {line}\n" for line in lines)
    text = f'{HEAD}clause 1 "t"\n  quote "{quote}"\n{body}\n  award a\n    for each firm\n{inner}'
    return [w.code for w in warnings(text, "W271")]


def test_the_ceiling_written_as_a_rate_cap_is_w271(tmp_path: Path) -> None:
    """At the cap that took its place, naming the words; ``check --strict`` fails on it."""
    assert warnings(BIOMED, "W271") == []
    [w] = warnings(RATE_CAP, "W271")
    assert w.message == (
        "award industrialisation_subsidy: the quote's ceiling “最高不超过2000万元” is written "
        "nowhere in its rules: no cap, parameter or note states 2000万元"
    )
    assert w.span is not None
    line = RATE_CAP.splitlines().index("    cap 20% of total_investment") + 1
    assert (w.span.line, w.span.col, w.span.clause_path) == (line, 9, ("示区科发〔2026〕3号", "二"))
    assert w.hint is not None
    assert "`cap 2000 万元 per ENTITY`" in w.hint
    (tmp_path / "t.rule").write_text(RATE_CAP, encoding="utf-8")
    assert main(["check", "--strict", str(tmp_path)]) == 1


@pytest.mark.parametrize(
    ("quote", "lines"),
    [
        # No cap at all: at the amount.
        ("按照投资的20%给予补助，最高不超过2000万元。", ["amount 20% of base"]),
        # 以内 after the figure; a second ceiling kept, the first dropped.
        (
            "给予奖励 100 万元以内，单个企业年度不超过 300 万元。",
            ["amount decided decided_amount", "cap 300 万元 per firm per year of 2025-01-01"],
        ),
        # 封顶, in another spelling than the rule's.
        ("按投资的 10% 补助，三百万元封顶。", ["amount 10% of base", "cap 30 万元 per firm"]),
    ],
)
def test_an_unwritten_ceiling_warns(quote: str, lines: list[str]) -> None:
    assert "W271" in _codes(quote, *lines)


@pytest.mark.parametrize(
    ("quote", "lines", "items"),
    [
        # The right encoding, the figure spelled otherwise.
        (
            "按照投资的20%给予补助，最高不超过两千万元。",
            ["amount 20% of base", "cap 2000 万元 per firm"],
            "",
        ),
        # A cap's exception (time.rule 第三条: 上限可提高至 1000 万元).
        (
            "按投资的 20% 补助，原则上不超过 500 万元；特别重大项目上限可提高至 1000 万元。",
            ["amount 20% of base", "cap 500 万元 per firm unless special raise to 1000 万元"],
            "",
        ),
        # A condition: 营业收入不超过 2000 万元的企业.
        (
            "对营业收入不超过 2000 万元的企业给予 10 万元奖励。",
            ["eligible when revenue <= 2000 万元", "amount 10 万元"],
            "",
        ),
        # A parameter's default of the clause.
        (
            "按投资的 20% 补助，最高不超过 500 万元。",
            ["amount 20% of base", "cap top per firm"],
            '  parameter top: money = 500 万元 "上限"\n',
        ),
        # A rate under a ceiling is not money.
        ("按照不超过总投资的 50% 给予支持。", ["amount decided decided_amount"], ""),
    ],
)
def test_a_ceiling_written_somewhere_does_not_warn(
    quote: str, lines: list[str], items: str
) -> None:
    assert _codes(quote, *lines, items=items) == []


def test_a_note_stating_the_figure_silences_it() -> None:
    quote = "按照投资的20%给予补助，最高不超过2000万元。"
    note = ("“最高不超过2000万元”由第九条的资金池控制。",)
    assert _codes(quote, "amount 20% of base", notes=note) == []
    assert _codes(quote, "amount 20% of base", notes=("设备投资按发票金额计。",)) == ["W271"]


def test_an_award_without_its_own_quote_may_leave_it_to_another() -> None:
    """A clause quote over two awards (京医保发〔2025〕5号 (二) has two): the ceiling written
    by either is written; an award with a quote of its own must write its own."""
    two = (
        f'{HEAD}clause 1 "t"\n  quote "给予支持，单个机构不超过 100 万元。"\n\n'
        "  award a\n    for each firm\n    amount decided decided_amount\n"
        "    cap 100 万元 per firm\n\n"
        "  award b\n    for each firm\n    amount decided decided_amount\n"
    )
    assert warnings(two, "W271") == []
    own = two.replace(
        "  award b\n    for each firm\n",
        '  award b\n    for each firm\n    quote "单个机构不超过 100 万元"\n',
    )
    assert [w.message.split(":")[0] for w in warnings(own, "W271")] == ["award b"]
