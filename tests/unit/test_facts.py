"""Facts files: read exactly, checked against the policy, errors name the path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import policyrules
from policyrules import FactsError, Money
from policyrules.api import Policy

TEXT = """entity firm "企业"
  list firms
  fact name: text
entity product "产品"
  list products of firm
  fact approved_on: date
  fact awarded: money
  fact share: rate
  fact authority: Authority

enum Authority { FDA, CE, PMDA }
"""


@pytest.fixture(scope="module")
def policy() -> Policy:
    checked = policyrules.check(
        [policyrules.parse(TEXT, "t.rule")], texts={"t.rule": TEXT}, sources={}
    )
    return Policy(checked, policyrules.compile_policy(checked), Path("."))


def _error(policy: Policy, tmp_path: Path, text: str, name: str = "facts.yaml") -> FactsError:
    f = tmp_path / name
    f.write_text(text, "utf-8")
    with pytest.raises(FactsError) as info:
        policy.load_facts(f)
    return info.value


def test_good_yaml(policy: Policy, tmp_path: Path) -> None:
    """Dates, money, rates and enum members read into exact values."""
    f = tmp_path / "f.yaml"
    f.write_text(
        "firms:\n  - id: f\n    products:\n      - id: p\n        approved_on: 2025-12-01\n"
        '        awarded: "200 万元"\n        share: "30%"\n        authority: FDA\n',
        "utf-8",
    )
    inst = policy.load_facts(f).instances["product"][0]
    expected = {
        "approved_on": dt.date(2025, 12, 1),
        "awarded": Money.of(200, "万元"),
        "share": Decimal("0.3"),
        "authority": "FDA",
    }
    assert expected == dict(inst.values)


def test_bad_date(policy: Policy, tmp_path: Path) -> None:
    """An impossible date names its path and shows the text as written."""
    err = _error(
        policy,
        tmp_path,
        "firms:\n  - id: f\n    products:\n      - id: p\n        approved_on: 2025-13-01\n",
    )
    assert 'firms[0].products[0].approved_on: not a date: "2025-13-01"' in str(err)
    assert err.code == "E313"  # not a real day: the code of a date not written YYYY-MM-DD


def test_unknown_key_with_hint(policy: Policy, tmp_path: Path) -> None:
    """An unknown fact names its path and the closest fact."""
    err = _error(
        policy,
        tmp_path,
        "firms:\n  - id: f\n    products:\n      - id: p\n        aproved_on: 2025-12-01\n",
    )
    expected = "did you mean 'approved_on'?"
    assert expected == err.hint
    assert "firms[0].products[0].aproved_on: unknown fact of product" in str(err)


def test_unknown_top_key(policy: Policy, tmp_path: Path) -> None:
    """An unknown top-level key is refused with a hint."""
    err = _error(policy, tmp_path, "frims: []\n")
    expected = "did you mean 'firms'?"
    assert expected == err.hint


@pytest.mark.parametrize("text", ["", "# exported 0 rows\n", "null\n", "---\n"])
def test_an_empty_facts_file_is_refused(policy: Policy, tmp_path: Path, text: str) -> None:
    """A facts file with nothing in it (an export that failed) is refused, E303, where it
    read as a firm-less run that exits 0; `{}` still evaluates nothing, on purpose."""
    err = _error(policy, tmp_path, text)
    assert err.code == "E303"
    assert "the facts file is empty" in str(err)
    assert err.hint is not None
    assert "`{}` evaluates nothing" in err.hint
    f = tmp_path / "none.yaml"
    f.write_text("{}\n", "utf-8")
    assert policy.evaluate(policy.load_facts(f)).decisions == ()


@pytest.mark.parametrize(
    ("written", "why", "hint"),
    [
        ("0180万元", "(a leading zero)", 'write "180万元"'),
        ("180.0000001万元", "(finer than a fen: 万元 has six places", "round it to six places"),
        ("12.345", "(finer than a fen: 元 has two places", "round it to two places"),
        ("180万元\u00a0", "(U+00A0 NO-BREAK SPACE at its end)", 'write it without: "180万元"'),
        ("180  万元", "(more than one space", 'one plain space at most: "180 万元"'),
    ],
)
def test_money_text_refused_says_why(
    policy: Policy, tmp_path: Path, written: str, why: str, hint: str
) -> None:
    """Money text the facts reader refuses (though ``Money.parse``, for Python callers,
    may read it) names its fault and how to write it, where the general hint did."""
    facts = f'firms:\n  - id: f1\n    products:\n      - id: P1\n        awarded: "{written}"\n'
    err = _error(policy, tmp_path, facts)
    assert err.code == "E303"
    assert why in str(err)
    assert err.hint is not None
    assert hint in err.hint


def test_a_spreadsheet_day_number_is_named(policy: Policy, tmp_path: Path) -> None:
    """`approved_on: 46086` (a spreadsheet's day number) is refused, E313, the hint naming
    the day it is in Excel (1899-12-30 + 46086 days = 2026-03-05); never read as it."""
    facts = "firms:\n  - id: f1\n    products:\n      - id: P1\n        approved_on: 46086\n"
    err = _error(policy, tmp_path, facts)
    assert err.code == "E313"
    assert err.hint is not None
    assert "(in Excel, 2026-03-05)" in err.hint


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ('"2026/3/5"', "write it as 2026-03-05"),
        ("2026.03.05", "write it as 2026-03-05"),
        ("2026年3月5日", "write it as 2026-03-05"),
        ('"20260305"', "write it as 2026-03-05"),
        ('"25/3/2026"', "write it as 2026-03-25"),
        ('"3/5/2026"', "it may be 2026-05-03 (day first) or 2026-03-05 (month first)"),
        ('"2026-03-05 00:00:00"', "a date and a time: write the day alone, 2026-03-05"),
        ("2026-03-05 00:00:00", "a date and a time: write the day alone, 2026-03-05"),
        ('"2026/2/30"', "write the day as YYYY-MM-DD, e.g. 2026-05-01"),  # no such day
    ],
)
def test_a_day_spelt_another_way_is_named(
    policy: Policy, tmp_path: Path, written: str, hint: str
) -> None:
    """A day written as a spreadsheet or a Chinese form writes it is refused, E313 (never
    read as it), the hint giving the day it spells as YYYY-MM-DD; 3/5/2026 is two days."""
    facts = f"firms:\n  - id: f1\n    products:\n      - id: P1\n        approved_on: {written}\n"
    err = _error(policy, tmp_path, facts)
    assert err.code == "E313"
    assert err.hint is not None
    assert hint in err.hint


@pytest.mark.parametrize(("written", "meant"), [("fda", "FDA"), ("Pmda ", "PMDA")])
def test_a_member_in_another_case_is_named(
    policy: Policy, tmp_path: Path, written: str, meant: str
) -> None:
    """An enum member written in another case is refused (members are spelled as declared)
    and the member meant is named, where `fda` got no suggestion."""
    facts = f"firms:\n  - id: f1\n    products:\n      - id: P1\n        authority: {written}\n"
    err = _error(policy, tmp_path, facts)
    assert f"did you mean '{meant}'?" in str(err)


def test_a_member_by_its_title_is_named(tmp_path: Path) -> None:
    """A member written by its title, as the Chinese text prints it (产业共性平台建设), names
    the member (common_platform): the shipped policy's ProjectKind."""
    shipped = policyrules.load(Path(__file__).resolve().parents[2] / "policies" / "beijing_2025")
    facts = "firms:\n  - id: f1\n    projects:\n      - id: J1\n        kind: 产业共性平台建设\n"
    err = _error(shipped, tmp_path, facts)
    assert "not a member of ProjectKind" in str(err)
    assert "did you mean 'common_platform'?" in str(err)


@pytest.mark.parametrize("written", ["None", "NONE", "无", "null"])
def test_none_written_otherwise_says_how(tmp_path: Path, written: str) -> None:
    """`Authority or none` given `None`, `无`... is refused (only `none` states it), the
    hint saying how none is written, where it listed the members."""
    shipped = policyrules.load(Path(__file__).resolve().parents[2] / "policies" / "beijing_2025")
    facts = (
        "firms:\n  - id: f1\n    products:\n      - id: P1\n"
        f'        overseas_authority: "{written}"\n'
    )
    err = _error(shipped, tmp_path, facts)
    assert "not a member of Authority" in str(err)
    assert err.hint is not None
    assert "write none, in lower case" in err.hint


def test_float_rejected(policy: Policy) -> None:
    """A binary float is not exact and is refused."""
    with pytest.raises(FactsError) as info:
        policy.read_facts({"firms": [{"id": "f", "products": [{"id": "p", "awarded": 1.5}]}]})
    assert "a binary float is not exact" in str(info.value)


def test_yaml_decimal_is_exact(policy: Policy, tmp_path: Path) -> None:
    """Money with 角 or 分 is text, read exactly; a bare number is whole 元 (as in the JSON
    Schema), so a bare 0.10 is refused with the text form as the hint."""
    f = tmp_path / "f.yaml"
    f.write_text(
        'firms:\n  - id: f\n    products:\n      - id: p\n        awarded: "0.10"\n', "utf-8"
    )
    expected = Money(10)
    assert expected == policy.load_facts(f).instances["product"][0].values["awarded"]
    err = _error(
        policy, tmp_path, "firms:\n  - id: f\n    products:\n      - id: p\n        awarded: 0.10\n"
    )
    assert (err.code, err.hint) == ("E314", 'write an amount with 角 or 分 as text: "0.10 元"')


def test_negative_money_rejected(policy: Policy, tmp_path: Path) -> None:
    """Money cannot be negative."""
    err = _error(
        policy, tmp_path, "firms:\n  - id: f\n    products:\n      - id: p\n        awarded: -5\n"
    )
    assert "firms[0].products[0].awarded: money cannot be negative: -5" in str(err)


def test_duplicate_yaml_keys_rejected(policy: Policy, tmp_path: Path) -> None:
    """A key written twice in one mapping is refused, with its line."""
    err = _error(
        policy,
        tmp_path,
        "firms:\n  - id: f\n    products:\n      - id: p\n        awarded: 1\n        awarded: 2\n",
    )
    expected = ("E302", 6)
    assert expected == (err.code, err.span.line)
    assert "the key 'awarded' appears twice" in str(err)


def test_wrong_enum_member(policy: Policy, tmp_path: Path) -> None:
    """A wrong enum member is refused with a did-you-mean."""
    err = _error(
        policy,
        tmp_path,
        "firms:\n  - id: f\n    products:\n      - id: p\n        authority: FAD\n",
    )
    assert "authority: not a member of Authority: \"FAD\"; did you mean 'FDA'?" in str(err)


def test_duplicate_ids(policy: Policy) -> None:
    """Two products with one id under a firm are refused."""
    with pytest.raises(FactsError) as info:
        policy.read_facts({"firms": [{"id": "f", "products": [{"id": "p"}, {"id": "p"}]}]})
    assert "firms[0].products[1].id: the id 'p' is used twice" in str(info.value)


def test_several_errors_collected(policy: Policy) -> None:
    """Every bad value is reported at once."""
    with pytest.raises(FactsError) as info:
        policy.read_facts(
            {"firms": [{"id": "f", "products": [{"id": "p", "awarded": -1, "share": "x"}]}]}
        )
    expected = 2
    assert expected == len(info.value.diagnostics)


def test_json_read_exactly(policy: Policy, tmp_path: Path) -> None:
    """JSON values are read exactly: "0.30" stays 30 fen, "25%" is 0.25."""
    f = tmp_path / "f.json"
    f.write_text(
        '{"firms": [{"id": "f", "name": "甲", "products": [{"id": "p", "awarded": "0.30",'
        ' "share": "25%", "approved_on": "2025-01-02"}]}]}',
        "utf-8",
    )
    facts = policy.load_facts(f)
    inst = facts.instances["product"][0]
    expected = (Money(30), Decimal("0.25"), dt.date(2025, 1, 2), "甲")
    actual = (
        inst.values["awarded"],
        inst.values["share"],
        inst.values["approved_on"],
        facts.instances["firm"][0].values["name"],
    )
    assert expected == actual


def test_bad_json(policy: Policy, tmp_path: Path) -> None:
    """Malformed JSON is E302 with a location."""
    err = _error(policy, tmp_path, '{"firms": [}', name="f.json")
    expected = ("E302", 1)
    assert expected == (err.code, err.span.line)


def test_missing_file(policy: Policy, tmp_path: Path) -> None:
    """A missing file is E301."""
    with pytest.raises(FactsError) as info:
        policy.load_facts(tmp_path / "none.yaml")
    assert info.value.code == "E301"
