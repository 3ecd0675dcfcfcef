"""The amount constructs of issue 11: `/`, floor()/ceil(), `rounding`, ranges, `minimum`,
`progressive` bands and `define` — syntax, checks, evaluation, explanations, the SQL
refusal (E608) and the fast path's routing.  Amounts worked by hand in comments."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import jsonschema
import pytest
from tests.both_paths import decisions_both_ways
from tests.strategies import compile_text

import policyrules
from policyrules import syntax as s
from policyrules.backends.sql import BatchCompileError, compile_batch
from policyrules.printer import print_module
from support import diagnostics, general_way

PATTERNS = Path(__file__).resolve().parents[2] / "policies" / "patterns"

HEAD = """entity firm "企业"
  list firms
  fact base: money
  fact other: money
  fact n: number
  fact r: rate
  fact chosen: money
  fact ok: bool
  fact on: date

parameter p_limit: money "一个界限"

document d "测试"
  valid from 2025-01-01 to 2028-12-31

clause 1
  quote "q"
"""


def _award(*lines: str, name: str = "a") -> str:
    body = "".join(f"    {line}\n" for line in lines)
    return f"{HEAD}\n  award {name}\n    for each firm\n{body}"


def _codes(text: str) -> list[str]:
    return [d.code for d in diagnostics(text)]


def _decide(text: str, **facts: object) -> policyrules.Decision:
    policy = compile_text(text)
    result = policy.evaluate({"firms": [{"id": "f", **facts}]})
    (d,) = [d for d in result.decisions if d.provision == "d/1/a"]
    return d


# ---- syntax ----------------------------------------------------------------------------------


def test_a_rate_range_of_a_base_is_split_at_of() -> None:
    """`10% to 30% of base`: the `of` binds the high rate, so the range holds both rates."""
    m = policyrules.parse(_award("amount 10% to 30% of base decided r"))
    st = m.items[-1].provisions[0].body[1]  # type: ignore[union-attr]
    assert isinstance(st, s.AmountRange)
    assert (st.low, st.high, st.base, st.decided) == (
        s.RateLit(Decimal(10)),
        s.RateLit(Decimal(30)),
        s.Name(("base",)),
        "r",
    )


def test_division_shares_the_level_of_times_and_of() -> None:
    """`1 / 3 of base / n` is ((1 / 3) of base) / n; `÷` reads as `/`."""
    m = policyrules.parse(_award("amount 1 ÷ 3 of base / n"))
    st = m.items[-1].provisions[0].body[1]  # type: ignore[union-attr]
    assert isinstance(st, s.Amount)
    third = s.BinOp("/", s.NumberLit(Decimal(1)), s.NumberLit(Decimal(3)))
    assert st.expr == s.BinOp("/", s.Of(third, s.Name(("base",))), s.Name(("n",)))


def test_the_new_statements_round_trip_through_the_formatter() -> None:
    text = (
        'define big "大" = base > 100 万元 and n / 2 >= 3\n'
        + _award(
            "eligible when big and floor(n / 3) > ceil(n / 4)",
            "amount 10% to 30% of base decided r",
            "minimum 50 万元",
            "rounding down to 1 元",
            "cap 100 万元",
        )
        + "\n  award b\n    for each firm\n    amount progressive base\n"
        "      band up to 1000 万元 pays 10%\n      band above pays 5%\n"
        "\n  award c\n    for each firm\n    amount 50 万元 to 100 万元\n"
    )
    once = print_module(policyrules.parse(text))
    assert policyrules.parse(once) == policyrules.parse(text)
    assert print_module(policyrules.parse(once)) == once
    assert "    amount progressive base\n      band up to 1000 万元 pays 10%\n" in once
    assert "    amount 10% to 30% of base decided r\n" in once


# ---- checks ----------------------------------------------------------------------------------


def test_a_define_that_refers_to_itself_is_refused() -> None:
    text = "define a1 = a2 and ok\ndefine a2 = not a1\n" + _award("eligible when a1", "amount base")
    assert "E256" in _codes(text)


def test_a_define_named_as_a_fact_or_twice_is_refused() -> None:
    assert _codes("define base = ok\n" + _award("amount base")) == ["E257"]
    twice = "define x1 = ok\ndefine x1 = not ok\n" + _award("amount base")
    assert _codes(twice) == ["E257"]


def test_a_define_is_typed_where_it_is_used() -> None:
    """A define of money used as a condition is E205 at the use."""
    assert _codes(
        "define twice = base + base\n" + _award("eligible when twice", "amount base")
    ) == ["E205"]


def test_a_constant_minimum_above_a_constant_cap_is_refused() -> None:
    assert _codes(_award("amount base", "minimum 50 万元", "cap 30 万元")) == ["E258"]
    assert _codes(_award("amount base", "minimum 30 万元", "cap 30 万元")) == []


def test_only_rounding_down_to_a_positive_unit() -> None:
    half = diagnostics(_award("amount base", "rounding half_up to 1 元"))
    assert [d.code for d in half] == ["E259"]
    assert "rounded down" in (half[0].hint or "")
    assert _codes(_award("amount base", "rounding down to 0 元")) == ["E259"]
    assert _codes(_award("amount base", "rounding down to 0.01 元")) == []


def test_range_ends_must_match() -> None:
    assert _codes(_award("amount 10% to 30 万元")) == ["E260"]  # a money range: 10% is no money
    assert _codes(_award("amount 30% to 10% of base")) == ["E260"]
    assert _codes(_award("amount 10% to 30% of base decided chosen")) == ["E260"]
    assert _codes(_award("amount 50 万元 to 100 万元 decided r")) == ["E260"]
    assert _codes(_award("amount 50 万元 to 100 万元 decided chosen")) == []


def test_bands_are_checked() -> None:
    above_first = "amount progressive base band above pays 5% band up to 100 万元 pays 10%"
    assert _codes(_award(above_first)) == ["E261"]
    assert _codes(_award("amount progressive n band above pays 5%")) == ["E261"]
    assert _codes(_award("amount progressive base band up to 5 pays 5%")) == ["E261"]


def test_floor_takes_a_number_or_a_share() -> None:
    assert _codes(_award("amount base × floor(base)")) == ["E262"]
    assert _codes(_award("amount base × floor(base / other)")) == []


def test_division_types() -> None:
    """money / money is a share (a rate): it compares with 5%, not with a number."""
    assert _codes(_award("eligible when base / other >= 5%", "amount base")) == []
    assert _codes(_award("eligible when base / other >= 5", "amount base")) == ["E204"]
    assert _codes(_award("amount n / base")) == ["E204"]


def test_a_constant_division_by_zero_is_a_check_error() -> None:
    assert _codes(_award("amount base × (1 / 0)")) == ["E243"]


# ---- evaluation ------------------------------------------------------------------------------


def test_a_third_of_money_is_exact_then_rounded_down() -> None:
    # 100.00 元 / 3 = 33.333… → 33.33 元 (toward zero, to the fen)
    d = _decide(_award("amount 1 / 3 of base"), base="100元")
    assert d.amount == policyrules.Money(3333)


def test_a_rational_number_stays_exact_through_arithmetic() -> None:
    # (1/3 + 1/3 + 1/3) × 300 元 = 300 元 exactly (a decimal 0.3333 would give 299.99)
    d = _decide(_award("amount (1 / 3 + 1 / 3 + 1 / 3) × base"), base="300元")
    assert d.amount == policyrules.Money(30000)


def test_division_by_a_zero_fact_is_unknown_with_e415() -> None:
    d = _decide(_award("amount base / n"), base="300元", n=0)
    assert d.status == "unknown"
    assert d.reasons
    assert d.reasons[0].startswith("E415: base / n divides by zero")
    # the Chinese letter says why in words, without the expression
    policy = compile_text(_award("amount base / n"))
    letter = policy.evaluate({"firms": [{"id": "f", "base": "300元", "n": 0}]}).explain()
    assert "无法判断：计算中除数为零（E415）" in letter
    assert "base / n" not in letter


def test_band_limits_that_do_not_rise_are_unknown_with_e417() -> None:
    text = _award("amount progressive base band up to 100 万元 pays 10% band up to p_limit pays 5%")
    policy = compile_text(text)
    facts = {"firms": [{"id": "f", "base": "200万元"}]}
    d = policy.evaluate(facts, parameters={"p_limit": "50万元"}).decisions[0]
    assert d.status == "unknown"
    assert "E417" in d.reasons[0]
    # 100 万 × 10% + (200 万 − 100 万) × 5% = 15 万 with a limit of 300 万
    d = policy.evaluate(facts, parameters={"p_limit": "300万元"}).decisions[0]
    assert d.amount == policyrules.Money.of(15, "万元")


def test_without_band_above_nothing_is_paid_above_the_last_limit() -> None:
    # 100 万 × 10% = 10 万; the 400 万 above the last limit pays nothing
    d = _decide(_award("amount progressive base band up to 100 万元 pays 10%"), base="500万元")
    assert d.amount == policyrules.Money.of(10, "万元")


def test_a_define_shows_its_name_and_value_in_the_trace() -> None:
    text = 'define big "大项目" = base > 100 万元\n' + _award("eligible when big", "amount base")
    d = _decide(text, base="200万元")
    assert d.status == "eligible"
    steps = [(st.kind, st.text) for st in d.trace]
    assert ("define", "big（大项目）: true") in steps
    assert steps.index(("define", "big（大项目）: true")) < [k for k, _ in steps].index("result")


def test_a_define_is_compiled_into_the_fast_path() -> None:
    """A define is inlined in the generated code: the provision keeps its fast path and both
    ways agree."""
    text = 'define big "大项目" = base > 100 万元\n' + _award("eligible when big", "amount base")
    policy = compile_text(text)
    assert "d/1/a" in policy.compiled.fast
    facts = {"firms": [{"id": "f", "base": "200万元"}, {"id": "g", "base": "50万元"}]}
    quick = policy.evaluate(facts, explain=False).decisions
    full = policy.evaluate(facts).decisions
    assert [(d.status, d.amount) for d in quick] == [(d.status, d.amount) for d in full]
    assert [d.status for d in full] == ["eligible", "not_eligible"]


def test_bounded_provisions_take_the_general_way() -> None:
    for line in ("amount 10% to 30% of base", "minimum 5 万元", "rounding down to 1 元"):
        lines = [line] if line.startswith("amount") else ["amount base", line]
        assert "d/1/a" not in compile_text(_award(*lines)).compiled.fast, line


def test_a_range_in_text_and_json() -> None:
    # 10% × 200 万 = 20 万; 30% × 200 万 = 60 万, under the 100 万 cap
    text = _award("amount 10% to 30% of base decided r", "cap 100 万元")
    policy = compile_text(text)
    result = policy.evaluate({"firms": [{"id": "f", "base": "200万元"}]})
    d = result.decisions[0]
    assert (d.amount_kind, d.amount_min, d.amount) == (
        "range",
        policyrules.Money.of(20, "万元"),
        policyrules.Money.of(60, "万元"),
    )
    assert "amount: at least 20 万元, at most 60 万元" in result.explain(lang="en")
    assert "金额：至少 20 万元，最高 60 万元（尚缺：firm.r）" in result.explain()
    data = result.to_json()
    assert data["decisions"][0]["amount_min"] == "200000.00"


def test_json_has_no_amount_min_unless_a_range() -> None:
    policy = compile_text(_award("amount base"))
    data = policy.evaluate({"firms": [{"id": "f", "base": "1元"}]}).to_json()
    assert "amount_min" not in data["decisions"][0]


def test_rounding_and_minimum_in_the_trace() -> None:
    # 1/3 × 100.00 = 33.33 → rounding down to 1 元: 33.00; minimum 50 元 raises it to 50.00
    text = _award("amount 1 / 3 of base", "rounding down to 1 元", "minimum 50 元")
    d = _decide(text, base="100元")
    assert d.amount == policyrules.Money(5000)
    texts = [st.text for st in d.trace]
    assert "rounding down to 1 元: 33.33 元 → 33.00 元" in texts
    assert "minimum 50 元: 33.00 元 raised to 50.00 元" in texts


def test_quotients_keep_their_exact_form() -> None:
    from policyrules.runtime.quotients import divide, exact

    assert exact(Fraction(3, 8)) == Decimal("0.375")
    assert divide(Decimal(2), Decimal(6)) == Fraction(1, 3)


# ---- the SQL batch refuses what it does not compile ------------------------------------------


@pytest.mark.parametrize(
    ("lines", "code", "words"),
    [
        (("eligible when n / 3 + n > 1", "amount base"), "E608", "a quotient used as a value"),
    ],
)
def test_batch_refusals_name_the_construct_and_provision(
    lines: tuple[str, ...], code: str, words: str
) -> None:
    policy = compile_text(_award(*lines))
    with pytest.raises(BatchCompileError) as info:
        compile_batch(policy.checked)
    assert info.value.code == code
    message = info.value.diagnostics[0].message
    assert "d/1/a" in message
    assert words in message


def test_a_define_is_inlined_by_the_batch() -> None:
    text = 'define big "大项目" = base > 100 万元\n' + _award("eligible when big", "amount base")
    compile_batch(compile_text(text).checked)  # no refusal: the define is its expression


# ---- years as years --------------------------------------------------------------------------

YEAR_HEAD = HEAD.replace("  fact on: date\n", "  fact on: date\n  fact fy: year\n")


@pytest.mark.parametrize(("given", "year"), [(2026, 2026), ("2026", 2026), ("2026年度", 2026)])
def test_a_year_fact_is_read_as_a_calendar_year(given: object, year: int) -> None:
    # cap 100 万元 per firm per year of fy, 30 万元 granted in that year: 100 − 30 = 70 万 left
    text = YEAR_HEAD + "\n  award a\n    for each firm\n    amount base\n"
    text += "    cap 100 万元 per firm per year of fy\n"
    policy = compile_text(text)
    ledger = [{"provision": "d/1/a", "firm": "f", "amount": "30万元", "year": year}]
    facts = {"firms": [{"id": "f", "base": "200万元", "fy": given}], "ledger": ledger}
    d = policy.evaluate(facts).decisions[0]
    # entitlement: 200 万 − 30 万 granted before = 170 万, cut to the 70 万 left of the year
    assert d.amount == policyrules.Money.of(70, "万元")


@pytest.mark.parametrize(
    "given", ["2026.5", 0, 10000, "二〇二六年", True, Decimal("2026.0"), "2026.0"]
)
def test_a_year_that_is_not_a_calendar_year_is_e340(given: object) -> None:
    policy = compile_text(YEAR_HEAD + "\n  award a\n    for each firm\n    amount base\n")
    with pytest.raises(policyrules.FactsError) as info:
        policy.evaluate({"firms": [{"id": "f", "fy": given}]})
    assert info.value.code == "E340"


@pytest.mark.parametrize("text", ["2026.0", "2026.00", "2.026e3"])
def test_a_year_written_as_a_decimal_number_in_a_file_is_e340(text: str, tmp_path: Path) -> None:
    """YAML and JSON numbers equal to a year but not written whole (2026.0) are refused as
    the text "2026.0" is: they were read as 2026 (a new user's trial)."""
    policy = compile_text(YEAR_HEAD + "\n  award a\n    for each firm\n    amount base\n")
    for name, body in (
        ("f.yaml", f"firms:\n  - {{id: f, fy: {text}}}\n"),
        ("f.json", f'{{"firms": [{{"id": "f", "fy": {text}}}]}}'),
    ):
        (tmp_path / name).write_text(body, encoding="utf-8")
        with pytest.raises(policyrules.FactsError) as info:
            policy.load_facts(tmp_path / name)
        assert info.value.code == "E340", name


def test_years_compare_with_numbers_and_count_by_subtraction() -> None:
    assert (
        _codes(
            YEAR_HEAD.replace('  quote "q"\n', '  quote "q"\n') + "\n  award a\n"
            "    for each firm\n    eligible when fy >= 2026 and fy - 1 = year(on)\n"
            "    amount base\n"
        )
        == []
    )
    assert _codes(
        YEAR_HEAD + "\n  award a\n    for each firm\n    eligible when fy + fy > 1\n"
        "    amount base\n"
    ) == ["E204"]


def test_steps_show_the_whole_count_in_the_trace() -> None:
    # ⌊(1350 万 − 1000 万) / 100 万⌋ = ⌊3.5⌋ = 3 steps: 50 万 + 3 × 5 万 = 65 万
    policy = policyrules.load(PATTERNS)
    facts = {"firms": [{"id": "f", "registered_here": True, "serious_dishonesty": False}]}
    facts["firms"][0]["annual_revenue"] = "1350万元"
    (d,) = [
        d for d in policy.evaluate(facts).decisions if d.provision.endswith("revenue_step_reward")
    ]
    assert d.amount == policyrules.Money.of(65, "万元")
    texts = [st.text for st in d.trace]
    assert "floor((annual_revenue - 1000 万元) / 100 万元) = ⌊3.5⌋ = 3" in texts


def test_the_patterns_explain_the_same_with_and_without_the_fast_path() -> None:
    """Rows of the generated code, made into decisions, equal the general way's, trace
    included (defines and steps noted alike)."""
    policy = policyrules.load(PATTERNS)
    general = general_way(policy)
    assert policy.compiled.fast, "some provisions of the patterns have generated code"
    firm = {"registered_here": True, "serious_dishonesty": False, "annual_revenue": "1350万元"}
    facts = {
        "firms": [
            {"id": "f", **firm, "prior_rd_investment": "500万元", "prior_revenue": "1亿元"},
            {"id": "g", "registered_here": False, "annual_revenue": "2000万元"},
        ]
    }
    assert policy.evaluate(facts).decisions == general.evaluate(facts).decisions


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("clause 1 award a amount progressive x band 1 元 pays 5%", "E112"),
        ("clause 1 award a amount progressive x band above 5%", "E112"),
        ("define x ok", "E113"),
        ("clause 1 award a rounding down 1 元", "E114"),
        ("clause 1 award a rounding down to 1", "E114"),
    ],
)
def test_misspelt_new_statements_have_their_own_syntax_errors(text: str, code: str) -> None:
    with pytest.raises(policyrules.RuleSyntaxError) as info:
        policyrules.parse(text)
    assert info.value.code == code


def test_a_dash_range_is_pointed_to_to() -> None:
    with pytest.raises(policyrules.RuleSyntaxError) as info:
        policyrules.parse("clause 1 award a amount 10%—30% of x")
    assert "written with `to`" in (info.value.diagnostics[0].hint or "")


def test_a_range_written_with_a_minus_gets_a_hint() -> None:
    """`10%-30% of base` reads as 10% − (30% of base): E204, pointing to `to`."""
    (d,) = diagnostics(_award("amount 10%-30% of base"))
    assert d.code == "E204"
    assert "`amount 10% to 30% of BASE`" in (d.hint or "")


def test_the_batch_compiles_a_year_fact() -> None:
    # E600 is no longer raised for a year fact (tests/unit/test_batch_bounds.py compares).
    text = YEAR_HEAD + "\n  award a\n    for each firm\n    eligible when fy >= 2026\n"
    text += "    amount base\n"
    plan = compile_batch(compile_text(text).checked)
    assert any(name == "decisions" for name, _ in plan.steps)


def test_an_ill_typed_minimum_is_reported_not_computed() -> None:
    """A minimum that is not money is E205; the check does not try to compute it (a
    generated tree once made `minimum not 25% ...` crash the comparison with a cap)."""
    assert _codes(_award("amount base", "minimum not 25%", "cap 1 万元")) == ["E205", "E205"]
    assert _codes(_award("amount 30 万元 to 10 万元 decided chosen")) == ["E260"]


def test_a_range_s_ends_of_the_wrong_kind_are_named_with_their_article() -> None:
    """`amount r to 30% of base` is a range of amounts whose low end is a rate; `amount 10%
    to 30 万元 of base` a range of rates whose high end is money."""
    (d,) = diagnostics(_award("amount r to 30% of base"))
    assert (d.code, d.message) == ("E260", "each end of the range is an amount, not rate")
    (d,) = diagnostics(_award("amount 10% to 30 万元 of base"))
    assert (d.code, d.message) == ("E260", "each end of the range is a rate, not money")


def test_a_product_is_rounded_where_it_is_computed_as_the_guide_says() -> None:
    """The guide's example (Exact or not at all): 10% of 12,345.67 元 = 1,234.567 元 is
    rounded toward zero to 1,234.56 元 where it is computed, so `base - 10% of base` is
    12,345.67 − 1,234.56 = 11,111.11 元, a fen above 90% of base: 11,111.103 元, rounded
    down to 11,111.10 元.  Both paths alike."""
    for amount, fen in (("base - 10% of base", 1_111_111), ("90% of base", 1_111_110)):
        policy = compile_text(_award(f"amount {amount}"))
        facts = policy.read_facts({"firms": [{"id": "f", "base": "12,345.67 元"}]})
        got = decisions_both_ways(policy, facts)
        assert got["f"][:2] == ("eligible", fen), amount


@pytest.mark.parametrize(
    ("amount", "taken"),
    [
        ("base - 10% of base", ["10% of base"]),
        ("base - other / 3", ["other / 3"]),
        ("base - n × other + -(r of other)", ["n × other", "r of other"]),
        ("90% of base - other", []),  # a fact taken away: nothing rounded
        ("(50% - 10%) of base", []),  # rates taken away: exact
        ("base - 1 万元", []),
    ],
)
def test_a_rounded_product_taken_away_is_w265(amount: str, taken: list[str]) -> None:
    """`check` warns where a product or quotient of money is subtracted or negated: it is
    rounded toward zero on its own (the guide's example: 11,111.11 元 against 11,111.10),
    so the amount may be above the exact figure by less than a fen."""
    policy = compile_text(_award(f"amount {amount}"))
    warnings = [d for d in policy.checked.warnings if d.code == "W265"]
    assert [d.message.split("`")[1] for d in warnings] == taken
    for d in warnings:
        assert d.hint is not None
        assert d.hint.startswith("write the share the text pays")


@pytest.mark.parametrize("given", [" 2026", "2026 ", "2026 年", " 2026年度 ", "2026\t"])
def test_a_year_with_white_space_is_e340_as_the_schema_refuses_it(given: str) -> None:
    """The schema's year is ``[0-9]{1,4}(年度?)?`` whole; the reader took white space around
    and before 年 (``" 2026"``, ``"2026 年"``).  Now it refuses them with the message and
    hint of any text that is not a year, as the schema refuses them."""
    policy = compile_text(YEAR_HEAD + "\n  award a\n    for each firm\n    amount base\n")
    with pytest.raises(policyrules.FactsError) as info:
        policy.evaluate({"firms": [{"id": "f", "fy": given}]})
    (d,) = info.value.diagnostics
    with pytest.raises(policyrules.FactsError) as other:
        policy.evaluate({"firms": [{"id": "f", "fy": "twenty"}]})
    (e,) = other.value.diagnostics
    assert (d.code, d.hint) == ("E340", e.hint)
    assert d.message == e.message.replace('"twenty"', f'"{given}"')
    schema = policy.schema()
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"firms": [{"id": "f", "fy": given}]}, schema)
    jsonschema.validate({"firms": [{"id": "f", "fy": given.strip().replace(" ", "")}]}, schema)
