"""The zh exclusivity line names the other award's document by its title when it has no
number, with the spacing used elsewhere (issue 11 gap 4: it read 不低于v_p6a 第1条…, the
document's identifier run into the Chinese)."""

from __future__ import annotations

from tests.strategies import compile_text

TEXT = """entity firm "企业"
  list firms
  fact cost: money

document v_p6a "示例办法"
  issued 2024-01-01

clause 1 "一"
  quote "q"
  exclusive x, y among firm keep highest

  award x "甲"
    for each firm
    amount 10% × cost

  award y "乙"
    for each firm
    amount 20% × cost
"""

UNTITLED = TEXT.replace('document v_p6a "示例办法"', 'document v_p6a ""')


def test_the_other_award_is_named_by_its_documents_title() -> None:
    """y (20%) wins over x (10%): y's line says 不低于《示例办法》第1条“甲”, x's 按《示例办法》…."""
    text = compile_text(TEXT).evaluate({"firms": [{"id": "F", "cost": "100万元"}]}).explain()
    assert "本项支持金额不低于《示例办法》第1条“甲”（10 万元" in text
    assert "同一对象按《示例办法》第1条“乙”支持" in text
    assert "v_p6a 第1条“" not in text
    assert "不低于v_p6a" not in text


def test_an_identifier_is_spaced_from_the_chinese() -> None:
    """Without a title the identifier stands, a space before it (不低于 v_p6a 第1条…)."""
    text = compile_text(UNTITLED).evaluate({"firms": [{"id": "F", "cost": "100万元"}]}).explain()
    assert "不低于v_p6a" not in text
    assert "不低于 v_p6a 第1条“甲”" in text
