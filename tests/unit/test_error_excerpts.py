"""A huge value in a facts document is quoted in its error as a bounded excerpt (its first
40 characters, `…` and its length), never whole: in every place a facts file, its ledger,
parameters and assumptions echo a value, on the command line and over HTTP alike."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import policyrules
from policyrules.errors import PolicyRulesError
from strategies import compile_text
from support import BEIJING, run_cli, typed_firm

TYPED = compile_text(
    typed_firm("usd: money(USD)", "yr: year", "es: set of Authority", "ns: list of number")
    + 'parameter usd_cny: exchange(USD) "x"\n'
    + 'parameter grades: table money to money "x"\n'
    + 'parameter r: rate "x"\n'
)
DIGITS = "1" * 100_001
LETTERS = "x" * 100_001
# The most characters a message or hint may hold here: its own words, a path, an excerpt.
BOUND = 300


def _doc(data: object, raw: str = "") -> str:
    """``data`` as JSON, each ``"@"`` in it written as ``raw`` (a number JSON cannot spell)."""
    return json.dumps(data, ensure_ascii=False).replace('"@"', raw)


def _firm(fact: str, raw: str) -> str:
    return _doc({"firms": [{"id": "f", fact: "@"}]}, raw)


def _grant(key: str, raw: str) -> str:
    grant = {
        "provision": "jjxf_2025_50/3/launch_reward",
        "firm": "f",
        "product": "P1",
        "amount": "1万元",
        "year": 2026,
    }
    return _doc({"ledger": [{**grant, key: "@"}]}, raw)


BEIJING_POLICY = policyrules.load(BEIJING)
DOCUMENTS = {
    "money, a bare number": (TYPED, _firm("money_", DIGITS), "E303"),
    "money, text": (TYPED, _firm("money_", f'"{DIGITS}万元"'), "E303"),
    "rate, without %": (TYPED, _firm("rate_", DIGITS), "E311"),
    "number, text": (TYPED, _firm("number_", f'"{LETTERS}"'), "E303"),
    "date": (TYPED, _firm("date_", DIGITS), "E313"),
    "duration": (TYPED, _firm("duration_", f'"{DIGITS} 日"'), "E303"),
    "bool": (TYPED, _firm("bool_", DIGITS), "E303"),
    "enum": (TYPED, _firm("enum_", f'"{LETTERS}"'), "E303"),
    "foreign money": (TYPED, _firm("usd", f'"{LETTERS}"'), "E346"),
    "year": (TYPED, _firm("yr", DIGITS), "E340"),
    "set member": (TYPED, _firm("es", f"[{DIGITS}]"), "E303"),
    "list item, after 40": (TYPED, _firm("ns", "[" + "1, " * 40 + f'"{LETTERS}"]'), "E303"),
    "not a list": (TYPED, _firm("ns", DIGITS), "E303"),
    "id with a space": (TYPED, _doc({"firms": [{"id": f" {LETTERS}"}]}), "E303"),
    # (an id of 100,001 characters used twice: now each is refused as too long)
    "id too long": (TYPED, _doc({"firms": [{"id": LETTERS}]}), "E303"),
    "unknown fact": (TYPED, _firm(LETTERS, "1"), "E303"),
    "unknown key": (TYPED, _doc({LETTERS: 1}), "E303"),
    "key written twice": (TYPED, f'{{"{LETTERS}": 1, "{LETTERS}": 2}}', "E302"),
    "not a list of firms": (TYPED, _doc({"firms": "@"}, DIGITS), "E303"),
    "not a mapping": (TYPED, DIGITS, "E303"),
    "parameter, rate": (TYPED, _doc({"parameters": {"r": "@"}}, DIGITS), "E311"),
    "parameter, exchange rate": (TYPED, _doc({"parameters": {"usd_cny": LETTERS}}), "E347"),
    "parameter, table key": (TYPED, _doc({"parameters": {"grades": {DIGITS: "1元"}}}), "E345"),
    "parameter unknown": (TYPED, _doc({"parameters": {LETTERS: 1}}), "E304"),
    "assumption": (TYPED, _doc({"assumptions": {"holiday_schedule": "@"}}, DIGITS), "E305"),
    "as_of": (TYPED, _doc({"as_of": LETTERS}), "E313"),
    "grant amount": (BEIJING_POLICY, _grant("amount", DIGITS), "E324"),
    "grant year": (BEIJING_POLICY, _grant("year", f'"{LETTERS}"'), "E325"),
    "grant provision": (BEIJING_POLICY, _grant("provision", f'"{LETTERS}"'), "E321"),
    "grant key": (BEIJING_POLICY, _grant(LETTERS, "1"), "E323"),
}


@pytest.mark.parametrize("case", DOCUMENTS)
def test_a_huge_value_is_quoted_as_an_excerpt(case: str) -> None:
    """Each error quoting the 100,001-character value holds its first 40 characters and its
    length, and stays within a few hundred characters (the message and the hint)."""
    policy, text, code = DOCUMENTS[case]
    with pytest.raises(PolicyRulesError) as info:
        policy.evaluate(policy.load_facts("big.json", raw=text.encode()))
    (d,) = info.value.diagnostics
    assert d.code == code
    assert len(d.message) < BOUND
    assert len(d.hint or "") < BOUND
    assert re.search(r"… \(10000[1-3] (digits|characters)\)", d.message)
    assert len(info.value.render()) < 3 * BOUND


def test_excerpts_keep_short_values_whole() -> None:
    """A value of at most 40 characters is quoted whole, as before; a longer one by its
    first 40, `…` and its length, in digits when it is all digits."""
    from policyrules.errors import MAX_QUOTED, excerpt, quoted  # (new: the rest runs without)

    assert excerpt("2025-13-01") == "2025-13-01"
    assert excerpt("9" * MAX_QUOTED) == "9" * MAX_QUOTED
    assert excerpt("9" * (MAX_QUOTED + 1)) == "9" * MAX_QUOTED + "… (41 digits)"
    assert excerpt("1.5" + "0" * 50) == "1.50000000000000000000000000000000000000… (53 characters)"
    assert quoted("P1 ") == "'P1 '"
    assert quoted(" " + "P" * 50) == "' " + "P" * 39 + "'… (51 characters)"
    assert quoted({"rate": 1}) == "{'rate': 1}"


def test_the_command_line_quotes_the_excerpt_too(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`policyrules eval` of a facts file holding a 100,001-digit amount: one short E303,
    the same excerpt as the library's (and the service's: the same error)."""
    facts = tmp_path / "big.json"
    facts.write_text(_firm_a_with(DIGITS), "utf-8")
    code, out, err = run_cli(capsys, "eval", BEIJING, facts)
    assert (code, out) == (2, "")
    assert (
        "error[E303]: firms[0].products[0].registration_cost: an amount of 10^37 元 or more: "
        in err
    )
    assert f"{'1' * 40}… (100001 digits)" in err
    assert len(err) < 1000


def _firm_a_with(amount: str) -> str:
    product = {"id": "A1", "registration_cost": "@"}
    return _doc({"firms": [{"id": "firm-a", "products": [product]}]}, amount)


@pytest.fixture
def int_digits_limit() -> Iterator[None]:
    """Restores Python's bound on the digits of an int written as text after the test."""
    before = sys.get_int_max_str_digits()
    yield
    sys.set_int_max_str_digits(before)


@pytest.mark.usefixtures("int_digits_limit")
def test_int_writable_is_pythons_own_bound() -> None:
    """Python writes an int of at most `sys.get_int_max_str_digits()` digits, the sign aside
    (4,300 by default): 10**4300 - 1 has 4300 nines, 10**4300 is a 1 and 4300 zeros."""
    from policyrules.errors import int_writable  # (new)

    sys.set_int_max_str_digits(4300)
    for value in (10**4300 - 1, -(10**4300 - 1), 0, -1):
        assert int_writable(value)
    for value in (10**4300, -(10**4300), 10**100_000):
        assert not int_writable(value)
    sys.set_int_max_str_digits(640)  # the least Python allows
    assert int_writable(10**640 - 1)
    assert not int_writable(10**640)
    sys.set_int_max_str_digits(0)  # no bound
    assert int_writable(10**5000)


@pytest.mark.usefixtures("int_digits_limit")
def test_an_int_is_said_by_its_digits_as_far_as_python_writes_them() -> None:
    """An int of 4,300 digits is written (a 1 and 4299 zeros: its first 40 characters, then
    its length); the old bound, about 4,000 digits by bit length, said it by its size.  Under
    a lower bound (1,000 digits) an id of 1,501 digits from Python is refused by its size:
    it was Python's ValueError from str(), not a facts error."""
    from policyrules.errors import int_text

    sys.set_int_max_str_digits(4300)
    assert int_text(10**4299) == "1" + "0" * 39 + "… (4300 digits)"
    sys.set_int_max_str_digits(1000)
    with pytest.raises(PolicyRulesError) as info:
        TYPED.read_facts({"firms": [{"id": 10**1500}]})
    (d,) = info.value.diagnostics
    # 10**1500 has 4983 bits; 4983 * 0.30103 = 1500.03, said as about 1500 digits
    assert "an id is text, not a whole number of about 1500 digits" in d.message
    with pytest.raises(PolicyRulesError) as info:
        TYPED.read_facts({"firms": [{"id": "f", "text_": -(10**1500)}]})
    assert "a negative whole number of about 1500 digits" in info.value.diagnostics[0].message
