"""W270 and W272: an award's amount that takes the quote's rate wrongly.

A new user broke 示区科发〔2026〕3号 on purpose.  第三条 (「按照项目总投资的10%给予支持，最高不超过
1500万元」) written ``amount decided total_investment`` and 第二条 (「按照项目设备投资的20%给予
补助」) written ``amount 20% of (20% of equipment_investment)`` both passed ``check --strict``
(every literal is a figure of the quote): the first paid the whole investment up to 1500 万元,
the second 4 % of the equipment investment.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules
from biomed_rule import BIOMED, variant, warnings
from policyrules.cli import main

POLICIES = Path(__file__).resolve().parents[2] / "policies"
DECIDED_BASE = variant(
    "    amount 10% of total_investment\n", "    amount decided total_investment\n"
)
TWICE = variant(
    "    amount 20% of equipment_investment\n",
    "    amount 20% of (20% of equipment_investment)\n",
)

HEAD = """entity firm "企业"
  list firms
  fact base: money
  fact other: money
  fact ok: bool
  fact decided_amount: money

document d "测试"
  valid from 2025-01-01 to 2026-12-31

"""


def _codes(quote: str, *lines: str, notes: tuple[str, ...] = ()) -> list[str]:
    body = "".join(f'  note "{n}"\n' for n in notes)
    inner = "".join(f"    {line}\n" for line in lines)
    text = f'{HEAD}clause 1 "t"\n  quote "{quote}"\n{body}\n  award a\n    for each firm\n{inner}'
    return [w.code for w in warnings(text, "W270", "W272")]


def _line(text: str, written: str) -> int:
    return text.splitlines().index(written) + 1


def test_the_base_decided_whole_is_w270(tmp_path: Path) -> None:
    """The break warns at the amount, quoting the rate's words, and ``check --strict``
    fails; the policy as written is clean."""
    assert warnings(BIOMED, "W270", "W272") == []
    [w] = warnings(DECIDED_BASE, "W270", "W272")
    assert w.code == "W270"
    assert w.message == (
        "`amount decided total_investment` pays total_investment whole, and the quote pays a "
        "rate of it: “按照项目总投资的10%”"
    )
    assert w.span is not None
    line = _line(DECIDED_BASE, "    amount decided total_investment")
    assert (w.span.line, w.span.col, w.span.clause_path) == (line, 5, ("示区科发〔2026〕3号", "三"))
    assert w.hint is not None
    assert "`amount 10% of total_investment`" in w.hint
    assert "`note` of the clause or award naming total_investment" in w.hint
    (tmp_path / "t.rule").write_text(DECIDED_BASE, encoding="utf-8")
    assert main(["check", "--strict", str(tmp_path)]) == 1


def test_the_rate_taken_twice_is_w272(tmp_path: Path) -> None:
    """At the second 20%, the inner one (column 20 of its line)."""
    assert warnings(BIOMED, "W272") == []
    [w] = warnings(TWICE, "W270", "W272")
    assert w.code == "W272"
    assert w.message == (
        "`amount 20% of (20% of equipment_investment)` takes 20% twice in one product, and "
        "the quote states it once: “按照项目设备投资的20%”"
    )
    assert w.span is not None
    line = _line(TWICE, "    amount 20% of (20% of equipment_investment)")
    assert (w.span.line, w.span.col) == (line, 20)
    assert w.hint is not None
    assert "`20% of BASE`" in w.hint
    (tmp_path / "t.rule").write_text(TWICE, encoding="utf-8")
    assert main(["check", "--strict", str(tmp_path)]) == 1


@pytest.mark.parametrize(
    ("quote", "amount"),
    [
        # A fixed rate, the base paid whole in each spelling.
        ("按照项目总投资的10%给予支持，最高不超过1500万元。", "amount base"),
        ("按照项目总投资的10%给予支持。", "amount 100% of base"),
        ("按照项目总投资的10%给予支持。", "amount base × 1"),
        ("按照项目总投资的百分之十给予支持。", "amount decided base"),
        # A rate under a ceiling, or one left open: a bare fact is still the whole base.
        ("按照不超过总投资额的 50% 给予支持。", "amount base"),
        ("按照研发投入的一定比例给予奖励。", "amount base"),
    ],
)
def test_a_fact_paid_whole_against_a_rate_warns(quote: str, amount: str) -> None:
    assert _codes(quote, amount, "eligible when ok") == ["W270"]


def test_a_decided_base_that_a_rate_cap_takes_warns() -> None:
    """不超过…的 50%: the agency decides, but not the whole of what the cap takes 50% of."""
    quote = "按照不超过总投资额的 50% 给予不超过 5000 万元支持。"
    caps = ("cap 50% of base", "cap 5000 万元 per firm")
    assert _codes(quote, "amount decided base", *caps) == ["W270"]
    assert _codes(quote, "amount decided decided_amount", *caps) == []


@pytest.mark.parametrize(
    ("quote", "amount"),
    [
        # The right encodings.
        ("按照项目总投资的10%给予支持。", "amount 10% of base"),
        # Ceilings only (京经信发〔2025〕50号 7, 8): the agency decides.
        ("按照不超过总投资额的 50% 给予不超过 5000 万元支持。", "amount decided decided_amount"),
        ("分别给予不超过总投资 50% 和 30% 的资金支持。", "amount decided decided_amount"),
        ("按照研发投入的一定比例给予奖励。", "amount decided decided_amount"),
        # The text pays the base whole: 全额, or no rate at all.
        ("按年度租金全额补贴。", "amount base"),
        ("按实际发生额给予补贴。", "amount base"),
        # A fact that is not paid whole.
        ("按照项目总投资的10%给予支持。", "amount base - other"),
    ],
)
def test_what_the_rate_allows_does_not_warn(quote: str, amount: str) -> None:
    assert _codes(quote, amount) == []


def test_a_note_naming_the_fact_silences_w270() -> None:
    quote = "按照项目总投资的10%给予支持。"
    assert _codes(quote, "amount base", notes=("实施细则：按 base 全额支持。",)) == []
    assert _codes(quote, "amount base", notes=("设备投资按发票金额计。",)) == ["W270"]


@pytest.mark.parametrize(
    ("quote", "amount", "codes"),
    [
        ("按照设备投资的20%给予补助。", "amount 20% × (20% of base)", ["W272"]),
        ("按照设备投资的百分之二十给予补助。", "amount 20% of base × 20%", ["W272"]),
        # Stated twice, taken twice: the text's own share of a share.
        ("按照设备投资的20%核定，其中20%给予补助。", "amount 20% of (20% of base)", []),
        # Two branches, each one product: not twice.
        ("按照设备投资的20%给予补助。", "amount if ok then 20% of base else 20% of other", []),
        # A sum of two shares.
        ("按照设备投资的20%给予补助。", "amount 20% of base + 20% of other", []),
        # 100% twice pays the same.
        ("前三年全额补贴。", "amount 100% of (100% of base)", []),
    ],
)
def test_a_rate_taken_more_times_than_stated(quote: str, amount: str, codes: list[str]) -> None:
    assert _codes(quote, amount) == codes


def test_a_note_stating_the_rate_silences_w272() -> None:
    quote = "按照设备投资的20%给予补助。"
    note = ("20%：先核定设备投资的20%为补助基数，再按20%给予补助。",)
    assert _codes(quote, "amount 20% of (20% of base)", notes=note) == []


def test_an_awards_own_quote_is_read_first() -> None:
    """The clause's quote fixes 10%; the award's own quote gives a ceiling only."""
    quote = "按照项目总投资的10%给予支持。对平台给予不超过 50 万元支持。"
    text = (
        f'{HEAD}clause 1 "t"\n  quote "{quote}"\n\n'
        '  award a\n    for each firm\n    quote "对平台给予不超过 50 万元支持。"\n'
        "    amount decided base\n    cap 50 万元 per firm\n"
    )
    assert warnings(text, "W270") == []
    assert (
        len(warnings(text.replace('    quote "对平台给予不超过 50 万元支持。"\n', ""), "W270")) == 1
    )


@pytest.mark.parametrize("directory", ["beijing_2025", "patterns"])
def test_shipped_policies_have_none(directory: str) -> None:
    found = policyrules.load(POLICIES / directory).checked.warnings
    assert [w for w in found if w.code in ("W270", "W271", "W272")] == []


def _with(head: str, quote: str, *lines: str) -> list[str]:
    inner = "".join(f"    {line}\n" for line in lines)
    text = f'{HEAD}{head}clause 1 "t"\n  quote "{quote}"\n\n  award a\n    for each firm\n{inner}'
    return [w.code for w in warnings(text, "W270", "W272")]


@pytest.mark.parametrize(
    "define",
    [
        'define whole_base "投资" = base\n',
        'define whole_base "投资" = 100% of base\n',
        # a define of a define
        'define inner "投资" = base\ndefine whole_base "投资" = inner\n',
    ],
)
def test_a_fact_paid_whole_behind_a_define_is_w270(define: str) -> None:
    """`amount whole_base` pays base whole as `amount base` does.  Before, the define's
    name was not a fact the amount read, and nothing was said."""
    quote = "按照项目总投资的10%给予支持。"
    assert _with(define, quote, "amount whole_base") == ["W270"]
    assert _with(define, quote, "amount 10% of whole_base") == []


@pytest.mark.parametrize(
    ("parameter", "quote"),
    [
        # its default the quote's rate: the same as the literal taken twice
        ('parameter support_rate: rate = 20% "补助比例"\n', "按照设备投资的20%给予补助。"),
        # no default: 一定比例, stated once by its words
        ('parameter support_rate: rate "补助比例"\n', "按照设备投资的一定比例给予补助。"),
    ],
)
def test_a_rate_parameter_taken_twice_is_w272(parameter: str, quote: str) -> None:
    """Before, only rate literals were counted: `support_rate of (support_rate of base)`
    passed, paying 4 % (or the rate squared) where the text says the rate once."""
    assert _with(parameter, quote, "amount support_rate of (support_rate of base)") == ["W272"]
    assert _with(parameter, quote, "amount support_rate of base") == []


def test_a_schedules_shares_are_no_rate_of_the_amount() -> None:
    """hBZ: 「给予奖励，分两年拨付（60%、40%）」 written ``amount decided decided_amount`` and
    ``paid over 2 years …: 60%, 40%`` was W270 (read 60% as a rate of the amount), its hint
    `amount 60% of decided_amount` paying 60 % of what the text pays whole.  A rate besides
    the shares still warns."""
    schedule = "paid over 2 years from 2025-03-01: 60%, 40% remainder last"
    quote = "对认定的企业给予奖励，分两年拨付（60%、40%）。"
    assert _codes(quote, "amount decided decided_amount", schedule) == []
    assert _codes(quote, "amount base", schedule) == []
    rated = "按基数的10%给予奖励，分两年拨付（60%、40%）。"
    assert _codes(rated, "amount base", schedule) == ["W270"]
