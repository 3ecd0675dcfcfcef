"""Amounts in other currencies: literals, types kept apart, dated rates, convert(), facts.

1 万美元 = 10,000.00 美元; a rate is 元 per 1 美元.  Amounts worked by hand in comments.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import jsonschema
import pytest
from tests.strategies import compile_text

import policyrules
from policyrules import Money, RuleCheckError
from policyrules.backends.sql import compile_batch
from policyrules.errors import Diagnostic, FactsError
from policyrules.parse import parse
from policyrules.printer import print_module
from policyrules.runtime.currency import ExchangeRate, Foreign, to_yuan_fen

HEAD = """entity firm
  list firms
  fact exports: money(USD) "出口额"
  fact sales_eu: money(EUR) "欧元销售额"
parameter usd_cny: exchange(USD) "美元中间价"
document d "D"
clause 1 "c"
  quote "q"
  award a
    for each firm
"""
RATE = {"usd_cny": {"rate": "7.1234", "date": "2026-01-05"}}


def _policy(*lines: str) -> policyrules.Policy:
    return compile_text(HEAD + "".join(f"    {x}\n" for x in lines))


def _errors(*lines: str) -> list[tuple[str, str, str | None]]:
    with pytest.raises(RuleCheckError) as info:
        _policy(*lines)
    return [(d.code, d.message, d.hint) for d in info.value.diagnostics]


def test_types_and_literals_print_back() -> None:
    text = (
        HEAD
        + "    eligible when exports >= 1.5 万美元\n    amount 2% of convert(exports, usd_cny)\n"
    )
    tree = parse(text)
    printed = print_module(tree)
    assert parse(printed) == tree
    assert "fact exports: money(USD)" in printed
    assert "parameter usd_cny: exchange(USD)" in printed
    assert "exports >= 1.5 万美元" in printed


@pytest.mark.parametrize(
    ("lines", "code", "words"),
    [
        (("amount exports",), "E205", "an amount must be money, not money(USD)"),
        (("amount 1 元", "eligible when exports > 1 元"), "E204", "cannot compare money(USD)"),
        (("amount 1 元", "eligible when exports > 1 欧元"), "E204", "with money(EUR)"),
        (("amount convert(sales_eu, usd_cny)",), "E277", "converts at an exchange(EUR)"),
        (("amount convert(1 元, usd_cny)",), "E277", "takes an amount in another currency"),
        (("amount 1 元", "cap 10 万美元"), "E206", "a cap must be money, not money(USD)"),
        (("amount 1 元", "eligible when exports > 0.001 美元"), "E226", "whole number of cents"),
    ],
)
def test_currencies_are_kept_apart(lines: tuple[str, ...], code: str, words: str) -> None:
    found = _errors(*lines)
    assert any(c == code and words in m for c, m, _ in found), found


def test_an_amount_in_dollars_hints_at_convert() -> None:
    (found,) = _errors("amount exports")
    assert found[2] == "convert it to 元 at a dated rate: `convert(exports, RATE)`"


@pytest.mark.parametrize(
    ("decl", "words"),
    [("money(JPY)", "unknown currency JPY"), ("rate(USD)", "only money and exchange")],
)
def test_unknown_currency_types_are_e277(decl: str, words: str) -> None:
    text = HEAD.replace("money(USD)", decl, 1) + "    amount 1 元\n"
    with pytest.raises(RuleCheckError) as info:
        compile_text(text)
    assert any(d.code == "E277" and words in d.message for d in info.value.diagnostics)


def test_convert_at_a_dated_rate_rounds_down_to_the_fen() -> None:
    policy = _policy(
        "eligible when exports >= 100 万美元", "amount 2% of convert(exports, usd_cny)"
    )
    facts: dict[str, Any] = {
        "firms": [{"id": "f", "exports": "1,000,000.01 美元"}],
        "parameters": RATE,
    }
    (d,) = policy.evaluate(facts).decisions
    # 100,000,001 cents × 7.1234 = 712,340,007.1234 fen → 7,123,400.07 元; 2% → 142,468.00 元
    assert (d.status, d.amount) == ("eligible", Money.parse("142,468.00 元"))
    # The explanation states the rate and its date.
    assert d.parameters == (("usd_cny", "1 美元 = 7.1234 元 (2026-01-05)"),)
    assert ("firm.exports", "1,000,000.01 美元") in d.facts


def test_without_a_rate_the_amount_waits_on_it() -> None:
    policy = _policy("amount convert(exports, usd_cny)")
    (d,) = policy.evaluate({"firms": [{"id": "f", "exports": "1 美元"}]}).decisions
    assert (d.amount_kind, d.missing_parameters) == ("unknown", ("usd_cny",))


@pytest.mark.parametrize(
    ("value", "code"),
    [(1200000, "E346"), ("1,200,000 元", "E346"), ("1.234 美元", "E346"), ("12 欧元", "E346")],
)
def test_foreign_facts_need_their_unit(value: Any, code: str) -> None:
    policy = _policy("amount 1 元")
    with pytest.raises(FactsError) as info:
        policy.evaluate({"firms": [{"id": "f", "exports": value}]})
    assert info.value.diagnostics[0].code == code


_IN_YUAN = ["5 元", "5元", "5万", "5万元", "5亿", "5", 5, "500"]


@pytest.mark.parametrize("value", _IN_YUAN)
def test_an_amount_in_yuan_is_not_an_amount_in_dollars(value: Any) -> None:
    """A fact `money(USD)` (plain, `or none`, a list's item) given 元, 万, 亿 or a bare
    number is refused, E346, as its reader refuses 欧元: it was once read as 元 (the fast
    reader of money in 元 took it), and the evaluation then stopped in convert()."""
    policy = compile_text(
        "entity firm\n  list firms\n  fact a: money(USD)\n  fact b: money(USD) or none\n"
        "  fact c: list of money(USD)\nparameter usd_cny: exchange(USD)\n"
        'document d "D"\nclause 1 "c"\n  quote "q"\n  award x\n    for each firm\n'
        "    amount convert(a, usd_cny)\n"
    )
    for fact, given in (("a", value), ("b", value), ("c", ["1 美元", value])):
        firms = [{"id": f"f{n}", fact: given} for n in range(3)]  # read as a column, too
        with pytest.raises(FactsError) as info:
            policy.evaluate({"firms": firms}, parameters={"usd_cny": RATE["usd_cny"]})
        item = ": [1]" if fact == "c" else ""
        want = [("E346", f"<facts>: firms[{n}].{fact}{item}: ") for n in range(3)]
        got = info.value.diagnostics
        assert len(got) == 3
        found = [(d.code, d.message[: len(w)]) for d, (_, w) in zip(got, want, strict=True)]
        assert found == want
    # Said in 美元, each reads and converts: 5 美元 × 7.1234 = 35.617 元, 35.61 元 down.
    firms = [{"id": "f", "a": "5 美元", "b": "none", "c": ["5 美元"]}]
    (d,) = policy.evaluate({"firms": firms}, parameters={"usd_cny": RATE["usd_cny"]}).decisions
    assert d.amount == Money(3561)


@pytest.mark.parametrize(
    "rate",
    [
        "7.1234",
        {"rate": "7.1234"},
        {"rate": "-1", "date": "2026-01-05"},
        {"rate": "7.1", "date": "2026-13-05"},
        {"rate": 7.1, "date": "2026-01-05"},  # a float is not exact
    ],
)
def test_a_bad_exchange_rate_is_e347(rate: Any) -> None:
    policy = _policy("amount 1 元")
    with pytest.raises(FactsError) as info:
        policy.evaluate({"firms": [{"id": "f"}], "parameters": {"usd_cny": rate}})
    assert info.value.diagnostics[0].code in ("E347", "E305")


def test_an_exchange_rate_given_as_a_decimal_is_exact() -> None:
    """Python's Decimal is the API's exact number (a new user's trial: it was refused,
    the message showing Decimal('7.1234')): 2 万美元 × 7.1234 = 142,468 元."""
    policy = _policy("amount convert(exports, usd_cny)")
    rate = {"rate": Decimal("7.1234"), "date": "2026-01-05"}
    facts = {"firms": [{"id": "f", "exports": "2 万美元"}], "parameters": {"usd_cny": rate}}
    (d,) = policy.evaluate(facts).decisions
    assert d.amount == Money.of(142468)
    facts["parameters"] = {"usd_cny": {"rate": Decimal("NaN"), "date": "2026-01-05"}}
    with pytest.raises(FactsError) as info:
        policy.evaluate(facts)
    assert "the rate of 美元 is a number above 0, not 'NaN'" in str(info.value)


def _rate_refused(policy: policyrules.Policy, name: str, rate: str) -> Diagnostic:
    """The one diagnostic of a facts file ``name`` whose ``usd_cny`` rate is ``rate`` as
    written there (JSON or YAML)."""
    pair = f"{{rate: {rate}, date: 2026-01-05}}"
    text = f"firms: [{{id: f}}]\nparameters:\n  usd_cny: {pair}\n"
    if name.endswith(".json"):
        pair = f'{{"rate": {rate}, "date": "2026-01-05"}}'
        text = f'{{"firms": [{{"id": "f"}}], "parameters": {{"usd_cny": {pair}}}}}'
    with pytest.raises(FactsError) as info:
        policy.evaluate(policy.load_facts(name, raw=text.encode()))
    (d,) = info.value.diagnostics
    return d


@pytest.mark.parametrize(
    ("name", "written", "shown"),
    [
        ("f.json", '"1e1"', "'1e1'"),  # Decimal() read 10
        ("f.json", '"7_1"', "'7_1'"),  # Decimal() read 71
        ("f.json", '" 7.1"', "' 7.1'"),  # Decimal() read 7.1
        ("f.json", '"+7.1"', "'+7.1'"),
        ("f.json", "1e1", "'1e1'"),  # a JSON number, as written
        ("f.yaml", "1e1", "'1e1'"),  # YAML plain scalars, as written
        ("f.yaml", "7_1", "'7_1'"),
        ("f.yaml", "7.", "'7.'"),
    ],
)
def test_an_exchange_rate_is_digits_and_a_point_as_its_schema_says(
    name: str, written: str, shown: str
) -> None:
    """The JSON Schema's rate is text of digits with at most one point; the reader took
    whatever Decimal() takes (1e1, 7_1, a space, a sign), values the schema refuses.  Each
    is now refused as other bad rates are (E347, the same message and hint as for -1)."""
    policy = _policy("amount 1 元")
    d = _rate_refused(policy, name, written)
    assert d.code == "E347"
    assert d.message.endswith(f"usd_cny: the rate of 美元 is a number above 0, not {shown}")
    assert d.hint == _rate_refused(policy, "f.json", '"-1"').hint
    schema = policy.schema()["properties"]["parameters"]["properties"]["usd_cny"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"rate": shown.strip("'"), "date": "2026-01-05"}, schema)


def test_an_exchange_rate_of_digits_and_a_point_is_read() -> None:
    """7.1234 as text, as a plain YAML number, and 07.5 (the schema's [0-9]+) are read:
    2 万美元 × 7.1234 = 142,468 元; × 7.5 = 150,000 元."""
    policy = _policy("amount convert(exports, usd_cny)")
    for rate, fen in (('"7.1234"', 14_246_800), ("7.1234", 14_246_800), ('"07.5"', 15_000_000)):
        text = (
            'firms: [{id: f, exports: "2 万美元"}]\nparameters:\n'
            f"  usd_cny: {{rate: {rate}, date: 2026-01-05}}\n"
        )
        (d,) = policy.evaluate(policy.load_facts("f.yaml", raw=text.encode())).decisions
        assert d.amount == Money(fen)


def test_the_schema_of_foreign_facts() -> None:
    props = _policy("amount 1 元").schema()
    firm = props["properties"]["firms"]["items"]["properties"]
    assert "美元" in firm["exports"]["anyOf"][0]["pattern"]
    rate = props["properties"]["parameters"]["properties"]["usd_cny"]
    assert rate["required"] == ["rate", "date"]


def test_foreign_arithmetic_is_exact_and_never_mixes() -> None:
    a = Foreign.of(Decimal("1.2"), "万美元")
    assert a + Foreign("USD", 1) == Foreign("USD", 1_200_001)
    assert a.times(Decimal("0.333")) == Foreign("USD", 399_600)  # 1,200,000 × 0.333 = 399,600
    with pytest.raises(TypeError):
        _ = a + Foreign("EUR", 1)
    with pytest.raises(TypeError):
        to_yuan_fen(a, ExchangeRate("EUR", Decimal(8), __import__("datetime").date(2026, 1, 1)))


def test_the_batch_converts_at_the_dated_rate() -> None:
    # E613 is no longer raised for amounts in another currency: cents as BIGINT, the dated
    # rate bound as a parameter.  2% of 15,000.01 美元 at 7.1234 = 2% of 106,851.07 元
    # (1,500,001 × 7.1234 = 10,685,107.1234 fen, down) = 2,137.02 元.
    from policyrules.backends.sql import duckdb as engine

    policy = _policy(
        "eligible when exports >= 1.5 万美元", "amount 2% of convert(exports, usd_cny)"
    )
    firms = [
        {"id": "a", "exports": "15,000.01 美元"},
        {"id": "b", "exports": "14,999.99 美元"},
        {"id": "c"},
    ]
    for params in (RATE, {}):
        facts = policy.read_facts({"firms": firms, "parameters": params})
        want = {
            d.subject: (
                d.status,
                d.amount.fen if d.amount is not None else None,
                list(d.missing_facts),
                list(d.missing_parameters),
            )
            for d in policy.evaluate(facts).decisions
        }
        con = engine.connect()
        engine.load_facts(con, policy.checked, facts, None)
        given = policy._values(params, "parameters")
        engine.run_plan(con, compile_batch(policy.checked, parameters=given))
        rows = con.execute(
            "SELECT subject, status, amount, missing_facts, missing_parameters FROM decisions"
        ).fetchall()
        assert {r[0]: (r[1], r[2], list(r[3]), list(r[4])) for r in rows} == want
        if params:
            assert want["a"] == ("eligible", 213702, [], [])
    assert want["b"][0] == "not_eligible"
    assert want["a"] == ("eligible", None, [], ["usd_cny"])  # the last run: no rate given


def test_an_exchange_rate_ending_in_a_line_break_says_so() -> None:
    """A YAML block scalar (``rate: |``) gives "7.1\\n": refused as the number readers
    refuse "100\\n" (E347, saying it ends in a line break, the hint the text without it),
    not with the hint for any bad rate.  With ``|-`` it is read: 2 万美元 × 7.1 = 142,000 元."""
    policy = _policy("amount convert(exports, usd_cny)")

    def facts(block: str) -> bytes:
        rate = f"    rate: {block}\n      7.1\n    date: 2026-01-05\n"
        return f'firms: [{{id: f, exports: "2 万美元"}}]\nparameters:\n  usd_cny:\n{rate}'.encode()

    with pytest.raises(FactsError) as info:
        policy.evaluate(policy.load_facts("f.yaml", raw=facts("|")))
    (d,) = info.value.diagnostics
    assert d.code == "E347"
    assert d.message.endswith(
        "usd_cny: the rate of 美元 is a number above 0, not '7.1\\n' (it ends in a line break)"
    )
    assert d.hint == (
        'write "7.1": a YAML block scalar (`|`) keeps the line break, a plain or quoted value '
        "on the key's line does not"
    )
    (read,) = policy.evaluate(policy.load_facts("f.yaml", raw=facts("|-"))).decisions
    assert read.amount == Money(14_200_000)
    schema = policy.schema()["properties"]["parameters"]["properties"]["usd_cny"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"rate": "7.1\n", "date": "2026-01-05"}, schema)
