"""Input the world sends: encodings, line ends, full-width characters, depth and size."""

from __future__ import annotations

from pathlib import Path

import pytest

import policyrules
from policyrules.api import read_rule_files
from policyrules.facts import load_data

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "beijing_2025"
SMALL = 'parameter r: rate = 30% "x"\n'


def _check(text: str) -> policyrules.RuleCheckError | None:
    try:
        policyrules.check([policyrules.parse(text, "x.rule")], texts={"x.rule": text})
    except policyrules.RuleCheckError as exc:
        return exc
    return None


def test_byte_order_mark_is_ignored() -> None:
    """A leading BOM (as Windows editors write) is not content."""
    assert policyrules.parse(SMALL) == policyrules.parse("\ufeff" + SMALL)


def test_crlf_and_tabs_parse_like_lf_and_spaces() -> None:
    """CRLF line ends and tab indentation give the same tree."""
    text = 'entity firm "企业"\n  list firms\n  fact a: money "x"\n'
    messy = text.replace("\n", "\r\n").replace("  ", "\t")
    assert policyrules.parse(text) == policyrules.parse(messy)


def test_full_width_colon_is_refused_with_a_hint() -> None:
    """A full-width colon outside a string: E108, telling which ASCII character to write."""
    with pytest.raises(policyrules.RuleSyntaxError) as caught:
        policyrules.parse("parameter r：rate\n", "x.rule")
    assert (
        caught.value.code,
        caught.value.hint,
    ) == ("E108", "write `:`: full-width characters belong only inside strings")


def test_full_width_digits_read_as_digits() -> None:
    """Full-width digits are digits: the formatter writes them in ASCII."""
    tree = policyrules.parse('parameter r: rate = ３０% "x"\n')
    assert policyrules.print_module(tree) == SMALL


def test_deep_nesting_is_refused() -> None:
    """Expressions nested beyond the limit: E109, never a RecursionError."""
    for n in (200, 5000, 50000):
        with pytest.raises(policyrules.RuleSyntaxError) as caught:
            policyrules.parse("parameter r: number = " + "1 + " * n + "1\n")
        assert caught.value.code == "E109"


def test_very_long_line_parses() -> None:
    """A 200,000-character quote is just a long string."""
    text = 'parameter r: rate "' + "很长" * 100_000 + '"\n'
    assert len(policyrules.parse(text).items[0].title or "") == 200_000


def test_huge_and_fractional_money_literals_are_check_errors() -> None:
    """An amount beyond 40 digits of fen, or below a fen, is E226 (not a crash)."""
    huge = _check("parameter x: money = 1" + "0" * 60 + " 亿元\n")
    tiny = _check("parameter x: money = 0.001 元\n")
    assert huge is not None
    assert tiny is not None
    assert (huge.code, tiny.code) == ("E226", "E226")


def test_empty_file_is_an_empty_policy() -> None:
    """An empty file parses to a module with nothing in it."""
    assert policyrules.parse("").items == ()


def test_directory_without_rule_files(tmp_path: Path) -> None:
    """A directory with no .rule files is refused clearly."""
    with pytest.raises(policyrules.RuleSyntaxError, match=r"no \.rule files"):
        policyrules.load(tmp_path)


def test_non_utf8_rule_file(tmp_path: Path) -> None:
    """A .rule file in GBK is refused, naming the file and the byte."""
    (tmp_path / "a.rule").write_bytes('parameter r: rate "一定比例"\n'.encode("gbk"))
    # GBK's 一 (D2 BB) happens to be valid UTF-8; 定 (B6 A8) at byte 21 is not.
    with pytest.raises(policyrules.RuleSyntaxError, match=r"not UTF-8 text \(byte 21\)"):
        read_rule_files(tmp_path)


def test_non_utf8_facts_file(tmp_path: Path) -> None:
    """A facts file in GBK is a FactsError with a hint, not a UnicodeDecodeError."""
    f = tmp_path / "facts.yaml"
    f.write_bytes("firms:\n  - id: 甲\n".encode("gbk"))
    with pytest.raises(policyrules.FactsError) as caught:
        load_data(f)
    assert caught.value.hint == "save the file as UTF-8"


def test_bom_and_crlf_facts_file(tmp_path: Path) -> None:
    """A facts file with a BOM and CRLF line ends reads like a plain one."""
    f = tmp_path / "facts.yaml"
    f.write_bytes("\ufefffirms:\r\n  - id: f\r\n    name: 甲\r\n".encode())
    assert load_data(f) == {"firms": [{"id": "f", "name": "甲"}]}


def test_huge_number_in_facts_is_refused(tmp_path: Path) -> None:
    """An amount too large to hold exactly is a FactsError naming the path."""
    policy = policyrules.load(POLICY)
    f = tmp_path / "facts.yaml"
    f.write_text(
        "firms:\n  - id: f\n    products:\n      - id: p\n"
        f"        registration_cost: 1{'0' * 60}\n",
        "utf-8",
    )
    with pytest.raises(policyrules.FactsError, match=r"products\[0\]\.registration_cost"):
        policy.load_facts(f)
