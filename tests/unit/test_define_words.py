"""A define, in the Chinese explanation, is named by its title (issue 11 §11: explanations
show the name), never by its identifier."""

from __future__ import annotations

from tests.strategies import compile_text

TEXT = """entity firm "企业"
  list firms
  fact here: bool "注册地在本区"
  fact listed: bool "被列入经营异常名录"

document d "测试"
  valid from 2025-01-01 to 2028-12-31

clause 9
  quote "本措施适用于注册地在本区、未被列入经营异常名录的企业。"
  define local_firm "本区企业（第九条）" = here and not listed
  define bare = here

clause 1
  quote "q"
  award a
    for each firm
    eligible when local_firm
    amount 5 万元

clause 2
  quote "q"
  award b
    for each firm
    eligible when bare
    amount 5 万元
"""


def _letter(**facts: object) -> str:
    policy = compile_text(TEXT)
    return policy.evaluate({"firms": [{"id": "f", **facts}]}).explain()


def test_a_failed_define_is_named_by_its_title_in_chinese() -> None:
    letter = _letter(here=True, listed=True)
    assert "未满足：本区企业（第九条）" in letter
    assert "local_firm" not in letter


def test_a_define_without_a_title_keeps_its_name() -> None:
    letter = _letter(here=False, listed=False)
    assert "未满足：bare" in letter
