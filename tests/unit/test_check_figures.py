"""W212: every amount, rate and count literal of a clause's rules is a figure of its quote.

A new user's copy of the shipped policy changed `cap 5000 万元` to `5000 元`, `cap 200 万元` to
`500 万元` and `amount 30% of …` to `3%`; `check` passed all three.  Each is now a warning at
the literal, naming the quote's figures; the text's own spellings of a figure are not.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import policyrules
from policyrules.errors import Diagnostic
from policyrules.quote_figures import chinese_number, figures

POLICIES = Path(__file__).resolve().parents[2] / "policies"

HEAD = """entity firm "企业"
  list firms
  fact base: money
  fact n: number
  fact base_rate: rate
  fact applied_on: date

document d "测试"
  valid from 2025-01-01 to 2026-12-31

"""


def _warnings(clause: str) -> list[Diagnostic]:
    text = HEAD + clause
    checked = policyrules.check(
        [policyrules.parse(text, "t.rule")], texts={"t.rule": text}, sources={}
    )
    return [w for w in checked.warnings if w.code == "W212"]


def _clause(quote: str, *lines: str, notes: tuple[str, ...] = (), extra: str = "") -> str:
    body = "".join(f'  note "{n}"\n' for n in notes) + extra
    inner = "".join(f"    {line}\n" for line in lines)
    return f'clause 1 "t"\n  quote "{quote}"\n{body}\n  award a\n    for each firm\n{inner}'


@pytest.mark.parametrize(
    ("old", "new", "shown", "said"),
    [
        # 第7条: 最高不超过 5000 万元, the unit slipped to 元.
        ("cap 5000 万元 per project", "cap 5000 元 per project", "5000 元", "“5000 万元”"),
        # 第3条: 单个产品不超过 200 万元.
        ("cap 200 万元 per product", "cap 500 万元 per product", "500 万元", "“200 万元”"),
        # 第7条: 按照项目工程投资的 30% 予以补助.
        ("amount 30% of engineering", "amount 3% of engineering", "3%", "“30%”"),
    ],
)
def test_the_new_users_slips_are_caught(
    tmp_path: Path, old: str, new: str, shown: str, said: str
) -> None:
    """Each of the three slips in a copy of the shipped policy is W212 at the literal, the
    hint naming the quote's figure; the unchanged copy has no W212."""
    policy = tmp_path / "beijing_2025"
    shutil.copytree(POLICIES / "beijing_2025", policy)
    rule = policy / "jjxf-2025-50.rule"
    text = rule.read_text("utf-8")
    assert old in text
    rule.write_text(text.replace(old, new, 1), "utf-8")
    found = [w for w in policyrules.load(policy).checked.warnings if w.code == "W212"]
    assert [w.message for w in found] == [f"`{shown}` is not a figure of the clause's quote"]
    (w,) = found
    assert w.span is not None
    line = rule.read_text("utf-8").splitlines()[w.span.line - 1]
    assert line[w.span.col - 1 : w.span.end_col - 1] == shown
    assert said in (w.hint or "")


def test_a_unit_slip_names_the_figure_in_the_language() -> None:
    (w,) = _warnings(_clause("最高不超过 5000 万元。", "amount base", "cap 5000 元"))
    assert "did you mean `5000 万元`?" in (w.hint or "")


@pytest.mark.parametrize("directory", ["beijing_2025", "patterns"])
def test_shipped_policies_state_every_figure(directory: str) -> None:
    warnings = policyrules.load(POLICIES / directory).checked.warnings
    assert [w for w in warnings if w.code == "W212"] == []


@pytest.mark.parametrize(
    ("quote", "line"),
    [
        ("给予不超过200万元奖励", "cap 200 万元"),
        ("给予不超过 200 万元奖励", "cap 200 万元"),
        ("给予不超过两百万元奖励", "cap 200 万元"),
        ("给予不超过2,000,000元奖励", "cap 200 万元"),
        ("给予不超过200万元奖励", "cap 2000000 元"),
        ("给予不超过三千万元奖励", "cap 3000 万元"),
        ("给予不超过1亿元奖励", "cap 1 亿元"),
        ("给予不超过1亿元奖励", "cap 10000 万元"),
        ("给予不超过1.5亿元奖励", "cap 15000 万元"),
        ("给予不超过５０万元奖励", "cap 50 万元"),
        ("最高支持额度不超过 100 万,", "cap 100 万元"),  # 元 left out (the guide's §7)
        ("按照投资额的30%给予支持", "amount 30% of base"),
        ("按照投资额的 30 % 给予支持", "amount 30% of base"),
        ("按照投资额的百分之三十给予支持", "amount 30% of base"),
        ("按照投资额的３０％给予支持", "amount 30% of base"),
        # 贴息利率最高不超过2个百分点: percentage points, 2 % of the principal a year.
        ("贴息利率最高不超过2个百分点", "cap 2% of base"),
        ("贴息不超过两个百分点", "cap 2% of base"),
        ("贴息不超过 2 百分点", "cap 2% of base"),
        ("按投资额的 10%—30% 给予支持", "amount 10% to 30% of base decided base_rate"),
        ("按投资额的10—30%给予支持", "amount 10% to 30% of base decided base_rate"),
        ("给予 50 万元至 100 万元奖励", "amount 50 万元 to 100 万元 decided base"),
        ("给予50至100万元奖励", "amount 50 万元 to 100 万元 decided base"),
        ("打造智能工厂10家以上", "eligible when n >= 10"),
        ("不少于三个", "eligible when n >= 3"),
    ],
)
def test_equivalent_spellings_are_not_flagged(quote: str, line: str) -> None:
    amount = () if line.startswith("amount") else ("amount decided base",)
    assert _warnings(_clause(quote, *amount, line)) == []


def test_what_is_no_figure_of_the_text_is_not_flagged() -> None:
    """Zero, numbers in arithmetic (`year(d) - 1`, `1 / 3 of`) and a parameter's default are
    not literals of the text."""
    clause = _clause(
        "对近三年有新获批产品的企业按一定比例给予奖励。",
        "eligible when year(applied_on) - 1 > 2024",
        "amount if n > 3 then p_rate of base else 0 元",
        "cap 1 / 3 of base",
        extra='  parameter p_rate: rate = 12% "一定比例"\n',
    )
    assert [w.message for w in _warnings(clause)] == [
        "`2024` is not a figure of the clause's quote"
    ]


def test_a_note_that_states_the_figure_silences_it() -> None:
    clause = _clause("给予不超过 300 万元奖励", "amount decided base", "cap 500 万元")
    assert len(_warnings(clause)) == 1
    noted = _clause(
        "给予不超过 300 万元奖励",
        "amount decided base",
        "cap 500 万元",
        notes=("实施细则把上限提高到 500 万元。",),
    )
    assert _warnings(noted) == []


def test_tiers_and_quotas_are_figures_too() -> None:
    clause = (
        'clause 1 "t"\n  quote "择优支持不超过10个，营业收入突破1亿元的给予100万元"\n'
        "  table t: money to money\n    from 1 亿元 give 200 万元\n\n"
        "  award a\n    for each firm\n    eligible when base reaches t\n"
        "    amount t[base]\n    quota 12 ranked by n\n"
    )
    assert [w.message for w in _warnings(clause)] == [
        "`200 万元` is not a figure of the clause's quote",
        "`quota 12` is not a figure of the clause's quote",
    ]


def test_figures_of_a_text() -> None:
    got = [(f.kind, f.value, f.currency) for f in figures("两百万元、5千万元、100万美元、减半")]
    assert got == [
        ("money", Decimal(2000000), "元"),
        ("money", Decimal(50000000), "元"),
        ("money", Decimal(1000000), "美元"),
        ("rate", Decimal(50), ""),
    ]
    assert [chinese_number(x) for x in ("十二", "三千万", "一亿五千万", "两百")] == [
        12,
        30000000,
        150000000,
        200,
    ]
