"""Hints of two misuses a new author meets in the patterns of issue 11: a quota ranked by a
fact that is not a number, and a `year` fact compared with a date."""

from __future__ import annotations

from support import diagnostics

HEAD = """entity firm "企业"
  list firms
  fact applied: bool "已申报"
  fact rank: count "评审排名"
  fact granted_year: year "授权年度"

document d "测试"
  valid from 2025-01-01 to 2028-12-31

clause 1
  quote "q"
  award a
    for each firm
"""


def _one(*lines: str) -> tuple[str, str | None]:
    text = HEAD + "".join(f"    {line}\n" for line in lines)
    (d,) = diagnostics(text)
    return d.code, d.hint


def test_a_quota_ranked_by_a_bool_does_not_suggest_the_same_name() -> None:
    code, hint = _one("eligible when applied", "quota 3 ranked by applied", "amount 5 万元")
    assert code == "E275"
    assert hint is not None
    assert "did you mean 'applied'" not in hint
    assert "rank_decided: count" in hint


def test_a_misspelt_rank_still_gets_the_suggestion() -> None:
    code, hint = _one("quota 3 ranked by rnk", "amount 5 万元")
    assert (code, hint) == ("E275", "did you mean 'rank'?")


def test_a_year_compared_with_a_date_hints_at_years_not_deadlines() -> None:
    code, hint = _one("eligible when granted_year >= 2026-01-01", "amount 5 万元")
    assert code == "E204"
    assert hint == "a year compares with a year number (`2026`) or with `year(DATE)`"
