"""W274: a cap whose entity or year is not the one its ceiling's words name.

京经信发〔2026〕9号 (the trial, /tmp/hBI-trial): 「单个产品不超过 300 万元,单个企业年度奖励不超过
800 万元」.  mut_i wrote the firm's cap ``per product per year of approved_on``, and a firm
with four products in 2026 was paid 4 × 300 = 1,200 万元 where the text allows 800 万元;
mut_p swapped the two caps' entities.  Both passed ``check --strict``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import policyrules
from device_trial_rule import FACTS, TRIAL, variant, warnings
from policyrules.cli import main

FIRM_CAP = "    cap 800 万元 per firm per year of approved_on\n"
PRODUCT_CAP = "    cap 300 万元 per product\n"
MUT_I = variant(FIRM_CAP, "    cap 800 万元 per product per year of approved_on\n")
MUT_P = variant(
    PRODUCT_CAP + FIRM_CAP,
    "    cap 300 万元 per firm per year of approved_on\n    cap 800 万元 per product\n",
)

HEAD = """entity firm "企业"
  list firms
  fact decided_on: date

entity drug "药品品种"
  list drugs of firm
  fact cost: money

entity project "项目"
  list projects of firm
  fact investment: money

document d "测试"

"""


def _codes(quote: str, subject: str, *lines: str, notes: tuple[str, ...] = ()) -> list[str]:
    body = "".join(f'  note "{n}"\n' for n in notes)
    inner = "".join(f"    {line}\n" for line in lines)
    text = (
        f'{HEAD}clause 1 "t"\n  quote "{quote}"\n{body}\n  award a\n    for each {subject}\n'
        f"    amount 50% of {'investment' if subject == 'project' else 'cost'}\n{inner}"
    )
    return [w.code for w in warnings(text, "W274")]


def _line(text: str, line: str) -> int:
    return text.splitlines().index(line.rstrip("\n")) + 1


def test_the_firm_s_cap_written_per_product_is_w274(tmp_path: Path) -> None:
    assert warnings(TRIAL, "W274") == []
    [w] = warnings(MUT_I, "W274")
    assert w.message == (
        "award premiere_reward: `cap 800 万元` is per product per year, but the quote's "
        "ceiling “单个企业年度奖励不超过 800 万元” is per firm (企业) per year"
    )
    assert w.span is not None
    line = _line(MUT_I, "    cap 800 万元 per product per year of approved_on")
    assert (w.span.line, w.span.col, w.span.clause_path) == (line, 5, ("京经信发〔2026〕9号", "1"))
    assert w.hint is not None
    assert w.hint.startswith("write `cap 800 万元 per firm per year of approved_on`")
    assert "`note`" in w.hint
    (tmp_path / "t.rule").write_text(MUT_I, encoding="utf-8")
    assert main(["check", "--strict", str(tmp_path)]) == 1


def test_the_caps_entities_swapped_are_two_w274() -> None:
    found = warnings(MUT_P, "W274")
    assert [w.message for w in found] == [
        "award premiere_reward: `cap 300 万元` is per firm per year, but the quote's ceiling "
        "“单个产品不超过 300 万元” is per product (医疗器械产品)",
        "award premiere_reward: `cap 800 万元` is per product, but the quote's ceiling "
        "“单个企业年度奖励不超过 800 万元” is per firm (企业) per year",
    ]
    assert [w.span.line for w in found if w.span] == [
        _line(MUT_P, "    cap 300 万元 per firm per year of approved_on"),
        _line(MUT_P, "    cap 800 万元 per product"),
    ]
    assert [(w.hint or "").split(" as the text")[0] for w in found] == [
        "write `cap 300 万元 per product`",
        "write `cap 800 万元 per firm per year of approved_on`",
    ]


def test_what_the_trial_s_breaks_pay(tmp_path: Path) -> None:
    """The four 2026 products of f1, 300 万元 decided each, in approval order (P0 of 2019 is
    out of force).  Right: 300 + 300 + 200 + 0 = 800 万元 (the firm's year).  mut_i: each
    product's own 800 万元 binds nothing, 4 × 300 = 1,200 万元.  mut_p: the firm's year
    holds 300 万元, paid to P1 alone."""
    wan = Decimal(10_000)
    paid = {}
    for name, text in (("right", TRIAL), ("mut_i", MUT_I), ("mut_p", MUT_P)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "t.rule").write_text(text, encoding="utf-8")
        result = policyrules.load(tmp_path / name).evaluate(FACTS)
        amounts = {d.subject: d.amount for d in result.decisions}
        paid[name] = [amounts[f"f1/P{i}"].yuan for i in range(1, 5)]  # type: ignore[union-attr]
    assert paid["right"] == [300 * wan, 300 * wan, 200 * wan, 0 * wan]
    assert paid["mut_i"] == [300 * wan] * 4
    assert sum(paid["mut_i"]) == 1200 * wan
    assert paid["mut_p"] == [300 * wan, 0 * wan, 0 * wan, 0 * wan]


@pytest.mark.parametrize(
    ("quote", "subject", "lines"),
    [
        # 单个项目, capped per firm.
        ("按投资的 50% 补助，单个项目不超过 500 万元。", "project", ["cap 500 万元 per firm"]),
        # 每家企业每年, capped per firm with no year: a second year gets nothing.
        (
            "按费用的 50% 补助，每家企业每年最高 100 万元。",
            "drug",
            ["cap 100 万元 per firm"],
        ),
        # 每个品种 (entity drug "药品品种"), capped per firm per year.
        (
            "按费用的 50% 补助，每个品种不超过 300 万元。",
            "drug",
            ["cap 300 万元 per firm per year of decided_on"],
        ),
        # 单个企业 with no year, capped per firm per year: paid again each year.
        (
            "按费用的 50% 补助，单个企业累计不超过 1000 万元。",
            "drug",
            ["cap 1000 万元 per firm per year of decided_on"],
        ),
    ],
)
def test_a_cap_on_another_entity_or_year_warns(quote: str, subject: str, lines: list[str]) -> None:
    assert _codes(quote, subject, *lines) == ["W274"]


@pytest.mark.parametrize(
    ("quote", "subject", "lines"),
    [
        ("按投资的 50% 补助，单个项目不超过 500 万元。", "project", ["cap 500 万元 per project"]),
        # No `per`: the subject's own claim.
        ("按投资的 50% 补助，单个项目不超过 500 万元。", "project", ["cap 500 万元"]),
        (
            "按费用的 50% 补助，每家企业每年最高 100 万元。",
            "drug",
            ["cap 100 万元 per firm per year of decided_on"],
        ),
        # 上一年度 is a fact's year, not the cap's.
        (
            "按上一年度费用的 50% 补助，单个企业不超过 100 万元。",
            "drug",
            ["cap 100 万元 per firm"],
        ),
        # Words naming no entity of the chain are not read.
        ("按费用的 50% 补助，最高不超过 200 万元。", "drug", ["cap 200 万元 per firm"]),
        # A ceiling no cap writes is W271's, not this one's.
        ("按费用的 50% 补助，单个企业不超过 200 万元。", "drug", ["cap 300 万元 per drug"]),
        # 累计, over the policy's life: no year word wanted.
        (
            "按费用的 50% 补助，单个企业累计不超过 500 万元。",
            "drug",
            ["cap 500 万元 per firm ever"],
        ),
    ],
)
def test_a_cap_as_its_words_name_it_does_not_warn(
    quote: str, subject: str, lines: list[str]
) -> None:
    assert _codes(quote, subject, *lines) == []


# 单个企业单个项目 names two entities: the project's ceiling (a project has one firm).
BOTH = "按投资的 50% 补助，单个企业单个项目不超过 500 万元。"


@pytest.mark.parametrize(
    "cap",
    [
        "cap 500 万元 per firm per project",
        "cap 500 万元 per project per firm",
        "cap 500 万元 per project",
        "cap 500 万元",  # the project's own claim
    ],
)
def test_a_ceiling_naming_two_entities_reads_them_in_any_order_or_the_nearest(cap: str) -> None:
    assert _codes(BOTH, "project", cap) == []


def test_a_ceiling_naming_two_entities_is_not_its_owner_s_alone() -> None:
    assert _codes(BOTH, "project", "cap 500 万元 per firm") == ["W274"]


def test_a_note_stating_the_figure_silences_it() -> None:
    quote = "按投资的 50% 补助，单个项目不超过 500 万元。"
    note = ("“单个项目不超过 500 万元”按企业合计执行（实施细则第四条）。",)
    assert _codes(quote, "project", "cap 500 万元 per firm", notes=note) == []
    other = ("投资按发票金额计。",)
    assert _codes(quote, "project", "cap 500 万元 per firm", notes=other) == ["W274"]


def test_shipped_policies_and_patterns_are_free_of_it() -> None:
    root = Path(__file__).resolve().parents[2] / "policies"
    for directory in ("beijing_2025", "patterns"):
        found = policyrules.load(root / directory).checked.warnings
        assert [w for w in found if w.code == "W274"] == []
