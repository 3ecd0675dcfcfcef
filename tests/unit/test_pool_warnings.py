"""Warnings on shared pools (a new author's trial): a pool one cap names (W234) and a pool
whose provisions give no order (W235).

A pool name misspelt on one cap (`shared firm_anual` beside `shared firm_annual`) made two
pools of one cap each: `check --strict` passed, and a firm drew up to the limit in each,
350 万元 under a 300 万元 ceiling.  Two firm awards sharing a pool with no `order by` have a
firm's two claims tie: they are served by provision id, and 三 (U+4E09) sorts before 二
(U+4E8C), so the later clause was served first.  Each now warns when checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.strategies import compile_text

from policyrules.cli import main
from policyrules.errors import Diagnostic

HEAD = """document d "测试"
  valid from 2026-01-01

entity firm "企业"
  list firms
  fact rent: money "房租"
  fact rd: money "研发"
  fact rd_on: date "研发费用申报日期"
  fact rent_on: date "房租补贴申报日期"
"""
RD = """
clause 二 "研发"
  quote "q"
  award rd_subsidy
    for each firm
    amount 10% of rd
    cap 300 万元 per firm shared POOL_RD
"""
RENT = """
clause 三 "房租"
  quote "q"
  award rent_subsidy
    for each firm
    amount 50% of rent
    cap 300 万元 per firm shared POOL_RENT
"""


def _warnings(text: str) -> list[Diagnostic]:
    return [d for d in compile_text(text).checked.warnings if d.code in ("W234", "W235")]


def test_a_pool_misspelt_on_one_cap_is_w234_with_the_close_name() -> None:
    text = HEAD + RD.replace("POOL_RD", "firm_anual") + RENT.replace("POOL_RENT", "firm_annual")
    found = _warnings(text)
    assert [d.code for d in found] == ["W234", "W234"]
    assert found[0].message == (
        "pool 'firm_anual' is named by this cap only: it limits nothing a cap of its own would not"
    )
    assert found[0].hint == "did you mean 'firm_annual'?"
    span = found[0].span
    assert span is not None
    assert (span.line, span.clause_path) == (16, ("d", "二"))  # the cap of clause 二
    # What it would pay: 10% of 2500 万 = 250 万 and 50% of 200 万 = 100 万, 350 万 in all,
    # above the 300 万 the two caps mean to share.
    result = compile_text(text).evaluate(
        {"firms": [{"id": "A", "rent": "200万元", "rd": "2500万元"}]}
    )
    assert sum(d.amount.fen for d in result.decisions if d.amount is not None) == 350_000_000


def test_a_pool_of_one_cap_with_no_close_name_says_how_to_share_it() -> None:
    (d,) = _warnings(HEAD + RD.replace("POOL_RD", "district_pool"))
    assert d.code == "W234"
    assert d.hint == (
        "name the pool on every cap whose grants count in it (`shared district_pool`), or "
        "leave out `shared`"
    )


def test_a_pool_no_provision_orders_is_w235_naming_the_order_served() -> None:
    text = HEAD + RD.replace("POOL_RD", "firm_annual") + RENT.replace("POOL_RENT", "firm_annual")
    (d,) = _warnings(text)
    assert d.code == "W235"
    # Natural order of the ids: 三 is U+4E09, 二 U+4E8C: 三 first.
    assert "served by provision id (d/三/rent_subsidy before d/二/rd_subsidy)" in d.message
    # Served so: rent 50% of 400 万 = 200 万 first, then R&D 10% of 2500 万 = 250 万 cut
    # to the 100 万 left.
    result = compile_text(text).evaluate(
        {"firms": [{"id": "A", "rent": "400万元", "rd": "2500万元"}]}
    )
    got = {d.provision.split("/")[-1]: d.amount.fen for d in result.decisions if d.amount}
    assert got == {"rd_subsidy": 100_000_000, "rent_subsidy": 200_000_000}  # fen


def test_w235_of_three_provisions_sits_on_the_last_and_names_all_three() -> None:
    """The warning points at the provision last in the file (the one whose pool joins the
    others), not the second, and lists every provision of the pool as it serves them."""
    third = RENT.replace("clause 三", "clause 四").replace("rent_subsidy", "rent_top_up")
    text = (
        HEAD
        + RD.replace("POOL_RD", "firm_annual")
        + RENT.replace("POOL_RENT", "firm_annual")
        + third.replace("POOL_RENT", "firm_annual")
    )
    (d,) = _warnings(text)
    assert d.code == "W235"
    # By code point: 三 U+4E09 < 二 U+4E8C < 四 U+56DB.
    assert (
        "served by provision id (d/三/rent_subsidy before d/二/rd_subsidy before "
        "d/四/rent_top_up)" in d.message
    )
    span = d.span
    assert span is not None
    assert span.clause_path == ("d", "四")


def test_a_pool_whose_provisions_are_ordered_warns_nothing() -> None:
    text = (
        HEAD
        + RD.replace("POOL_RD", "firm_annual") + "    order by rd_on\n"
        + RENT.replace("POOL_RENT", "firm_annual") + "    order by rent_on\n"
    )  # fmt: skip
    assert _warnings(text) == []


def test_check_strict_fails_on_a_pool_of_one_cap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rule = tmp_path / "p.rule"
    rule.write_text(HEAD + RD.replace("POOL_RD", "firm_anual"), encoding="utf-8")
    assert main(["check", str(rule)]) == 0
    assert main(["check", "--strict", str(rule)]) == 1
    assert "warning[W234]" in capsys.readouterr().err


YEARLY = """document d "测试"
  valid from 2026-01-01

entity firm "企业"
  list firms
  fact rent: money "房租"
  fact rent_year: year "房租所属年度"

clause 一 "房租"
  quote "q"
  award rent_subsidy
    for each firm
    amount 50% of rent
    cap 100 万元 per firm per year of rent_year
"""


def test_an_award_capped_per_year_on_its_own_subject_is_w236() -> None:
    """A new author's trial: 每年 written as a cap per firm per year; the firm's 2027 claim,
    after 100 万元 granted for 2026, was paid 0.00 元 (the rest of one entitlement)."""
    policy = compile_text(YEARLY)
    (w,) = [d for d in policy.checked.warnings if d.code == "W236"]
    assert w.message == (
        "rent_subsidy is capped per firm per year, but an award is one entitlement a firm: a "
        "later year's claim is paid only what is left of it, not a new year's amount"
    )
    earlier = [{"provision": "d/一/rent_subsidy", "firm": "A", "amount": "100万元",
                "year": 2026}]  # fmt: skip
    facts = {"firms": [{"id": "A", "rent": "200万元", "rent_year": 2027}], "ledger": earlier}
    (d,) = policy.evaluate(facts).decisions
    # 50% of 200 万 = 100 万, less the 100 万 granted before: 0.00 元, as the warning says.
    assert d.amount is not None
    assert d.amount.fen == 0


def test_a_cap_per_year_on_an_owner_warns_nothing() -> None:
    text = YEARLY.replace(
        "  award rent_subsidy\n    for each firm",
        "  award rent_subsidy\n    for each site",
    ).replace(
        'fact rent_year: year "房租所属年度"\n',
        'fact rent_year: year "房租所属年度"\n\nentity site "场地"\n  list sites of firm\n'
        "  fact rent: money\n  fact rent_year: year\n",
    )
    assert [d for d in compile_text(text).checked.warnings if d.code == "W236"] == []
