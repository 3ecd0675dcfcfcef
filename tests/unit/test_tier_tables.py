"""Tier tables (`table`, `T[x]`, `x reaches T`), the two readings (`tiers by`) and quotas.

Amounts are worked by hand in comments; 1 亿元 = 100,000,000.00 元, 1 万元 = 10,000.00 元.
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.strategies import compile_text

import policyrules
from policyrules import Money, RuleCheckError, RuleSyntaxError
from policyrules.backends.sql import BatchCompileError, compile_batch
from policyrules.errors import FactsError, LedgerError
from policyrules.parse import parse
from policyrules.printer import print_module

HEAD = """entity firm "企业"
  list firms
  fact revenue: money
  fact level: Level
  fact rank: count
  fact name: text
enum Level { low "低", mid "中", high "高" }
enum TierReading { top_up "晋档补差", highest_only "只享受最高档" }
assumption reading: TierReading = top_up "晋档补差，除非另有规定"

table scale: money to money
  from 1 亿元 give 100 万元
  from 5 亿元 give 200 万元

document d "测试"
"""


def _policy(*lines: str, before: str = "") -> policyrules.Policy:
    inner = "".join(f"    {line}\n" for line in lines)
    return compile_text(
        f'{HEAD}{before}clause 1 "t"\n  quote "q"\n  award a\n    for each firm\n{inner}'
    )


def _errors(*lines: str, before: str = "") -> list[tuple[str, str]]:
    with pytest.raises(RuleCheckError) as info:
        _policy(*lines, before=before)
    return [(d.code, d.message) for d in info.value.diagnostics]


def _decide(policy: policyrules.Policy, facts: dict[str, Any]) -> policyrules.Decision:
    (d,) = [x for x in policy.evaluate(facts).decisions if x.provision == "d/1/a"]
    return d


SCALE = ("eligible when revenue reaches scale", "amount scale[revenue]", "tiers by reading")


# ---- syntax and the formatter --------------------------------------------------------------


def test_a_table_and_its_uses_print_back_to_the_same_tree() -> None:
    text = f'{HEAD}clause 1 "t"\n  quote "q"\n  award a\n    for each firm\n' + "".join(
        f"    {x}\n" for x in (*SCALE, "quota 3 ranked by rank")
    )
    tree = parse(text)
    printed = print_module(tree)
    assert parse(printed) == tree
    assert print_module(parse(printed)) == printed
    assert "  from 5 亿元 give 200 万元\n" in printed
    assert "    quota 3 ranked by rank\n" in printed


def test_a_lookup_binds_like_an_atom() -> None:
    """`T[x] of y` is `(T[x]) of y`; the key in brackets needs no parentheses."""
    tree = parse("parameter p: money = t[(a + b)] of c")
    assert print_module(tree) == "parameter p: money = t[a + b] of c\n"
    default = tree.items[0].default
    assert type(default).__name__ == "Of"


def test_a_table_without_rows_is_a_syntax_error() -> None:
    with pytest.raises(RuleSyntaxError):
        parse("table t: money to money\n")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("table t money to money from 1 元 give 1 元", "E116"),
        ("table t: Level to money when 1 give 1 元", "E116"),
        ('clause 1 "t"\n  award a\n    tiers tier_reading', "E117"),
        ('clause 1 "t"\n  award a\n    quota 10 ranked r', "E117"),
    ],
)
def test_misspelt_tables_tiers_and_quotas_have_their_codes(text: str, code: str) -> None:
    with pytest.raises(RuleSyntaxError) as info:
        parse(text)
    assert info.value.diagnostics[0].code == code


# ---- the checker ---------------------------------------------------------------------------


def test_unguarded_lookup_is_e272_with_the_guard_as_hint() -> None:
    with pytest.raises(RuleCheckError) as info:
        _policy("amount scale[revenue]")
    (d,) = info.value.diagnostics
    assert d.code == "E272"
    assert d.hint is not None
    assert "eligible when revenue reaches scale" in d.hint


def test_if_reaches_guards_a_lookup() -> None:
    policy = _policy("amount if revenue reaches scale then scale[revenue] else 0 元")
    d = _decide(policy, {"firms": [{"id": "f", "revenue": "99,999,999.99 元"}]})
    assert (d.status, d.amount) == ("eligible", Money(0))  # below 1 亿: the else branch


def test_falling_thresholds_are_e271() -> None:
    before = "table t2: money to money\n  from 5 亿元 give 1 元\n  from 1 亿元 give 2 元\n"
    assert ("E271", "thresholds of 't2' must rise: 1 亿元 after 5 亿元") in _errors(
        "amount 1 元", before=before
    )


def test_a_member_with_two_rows_is_e271() -> None:
    before = "table t2: Level to money\n  when low give 1 元\n  when low give 2 元\n"
    assert ("E271", "member low has two rows in 't2'") in _errors("amount 1 元", before=before)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("t2: Level to money\n  from 1 元 give 1 元", "has rows `when MEMBER give VALUE`"),
        ("t2: money to money\n  when low give 1 元", "has rows `from THRESHOLD give VALUE`"),
        ("t2: money to money\n  from 1 元 give 10%", "a row gives rate, not money"),
        ("t2: text to money\n  from 1 元 give 1 元", "keys are thresholds or enum members"),
        ("t2: money to date\n  from 1 元 give 2025-01-01", "gives amounts, rates or numbers"),
        ("t2: money to money\n  from reading give 1 元", "a row gives TierReading"),
    ],
)
def test_bad_rows_are_e270(table: str, message: str) -> None:
    found = _errors("amount 1 元", before=f"table {table}\n")
    assert any(code == "E270" and message in text for code, text in found), found


def test_a_row_that_reads_a_parameter_is_e270() -> None:
    before = "parameter lo: money\ntable t2: money to money\n  from lo give 1 元\n"
    found = _errors("amount 1 元", before=before)
    assert ("E270", "a table row is a constant, not lo") in found


def test_a_table_named_like_a_parameter_is_e276() -> None:
    found = _errors("amount 1 元", before="table reading: money to money\n  from 1 元 give 1 元\n")
    assert [c for c, _ in found] == ["E276"]


def test_unknown_table_is_e203_with_did_you_mean() -> None:
    with pytest.raises(RuleCheckError) as info:
        _policy("eligible when revenue reaches scal", "amount 1 元")
    (d,) = info.value.diagnostics
    assert (d.code, d.message, d.hint) == ("E203", "unknown table 'scal'", "did you mean 'scale'?")


def test_a_key_of_the_wrong_unit_is_e204() -> None:
    found = _errors("eligible when rank reaches scale", "amount 1 元")
    assert ("E204", "the table's keys are money, not number") in found


def test_tiers_by_an_assumption_of_another_type_is_e273() -> None:
    before = 'assumption other: bool = true "x"\n'
    found = _errors(*SCALE[:2], "tiers by other", before=before)
    assert [c for c, _ in found] == ["E273"]


def test_tiers_by_needs_one_lookup_in_the_amount_e274() -> None:
    found = _errors("eligible when revenue reaches scale", "amount 1 元", "tiers by reading")
    assert [c for c, _ in found] == ["E274"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("quota 0 ranked by rank", "a quota of 0: at least one winner"),
        ("quota 3 ranked by name", "`ranked by name`: not a number fact"),
    ],
)
def test_a_bad_quota_is_e275(line: str, message: str) -> None:
    found = _errors("amount 1 元", line)
    assert found == [("E275", found[0][1])]
    assert message in found[0][1]


def test_two_quotas_are_e209() -> None:
    found = _errors("amount 1 元", "quota 3 ranked by rank", "quota 4 ranked by rank")
    assert [c for c, _ in found] == ["E209"]


# ---- evaluation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("revenue", "status", "amount"),
    [
        ("99,999,999.99 元", "not_eligible", None),  # below 1 亿: no tier
        ("1亿元", "eligible", Money.of(100, "万元")),  # 1 亿 reaches the first tier
        ("499,999,999.99 元", "eligible", Money.of(100, "万元")),  # still the first
        ("5亿元", "eligible", Money.of(200, "万元")),  # 5 亿: the second
    ],
)
def test_thresholds(revenue: str, status: str, amount: Money | None) -> None:
    d = _decide(_policy(*SCALE), {"firms": [{"id": "f", "revenue": revenue}]})
    assert (d.status, d.amount if status == "eligible" else None) == (status, amount)


def test_the_trace_names_the_row() -> None:
    d = _decide(_policy(*SCALE), {"firms": [{"id": "f", "revenue": "6亿元"}]})
    steps = [s.text for s in d.trace if s.kind == "tier"]
    assert steps == ["scale[revenue] = 6 亿元: row `from 5 亿元 give 200 万元`"]


def _ledger(tier: str | None) -> list[dict[str, Any]]:
    grant: dict[str, Any] = {"provision": "d/1/a", "firm": "f", "amount": "100万元", "year": 2025}
    if tier is not None:
        grant["tier"] = tier
    return [grant]


@pytest.mark.parametrize(
    ("reading", "tier", "status", "amount"),
    [
        ("top_up", None, "eligible", Money.of(100, "万元")),  # 200 万 − 100 万 paid before
        ("highest_only", "1 亿元", "eligible", Money.of(200, "万元")),  # tier 5 亿 in full
        ("highest_only", "5 亿元", "not_eligible", None),  # tier 5 亿 was paid
        ("highest_only", None, "unknown", None),  # E419: which tier was paid?
        ("highest_only", "3 亿元", "unknown", None),  # E419: not a row
    ],
)
def test_the_two_readings_with_the_ledger(
    reading: str, tier: str | None, status: str, amount: Money | None
) -> None:
    facts = {
        "firms": [{"id": "f", "revenue": "6亿元"}],
        "ledger": _ledger(tier),
        "assumptions": {"reading": reading},
    }
    d = _decide(_policy(*SCALE), facts)
    assert (d.status, d.amount if status == "eligible" else None) == (status, amount)
    if status == "unknown":
        assert d.reasons[0].startswith("E419: a ledger grant under d/1/a to f names")


def test_highest_only_grants_name_their_tier() -> None:
    policy = _policy(*SCALE)
    result = policy.evaluate(
        {"firms": [{"id": "f", "revenue": "6亿元"}], "assumptions": {"reading": "highest_only"}}
    )
    (grant,) = result.grants
    assert grant.tier == "5 亿元"
    assert grant.to_json()["tier"] == "5 亿元"
    # Under top_up the grant names no tier, and its JSON is as before.
    (plain,) = policy.evaluate({"firms": [{"id": "f", "revenue": "6亿元"}]}).grants
    assert plain.tier is None
    assert "tier" not in plain.to_json()


def test_a_tier_on_a_grant_of_a_provision_without_tiers_by_is_e323() -> None:
    policy = _policy("eligible when revenue reaches scale", "amount scale[revenue]")
    with pytest.raises(LedgerError) as info:
        policy.evaluate({"firms": [{"id": "f", "revenue": "6亿元"}], "ledger": _ledger("1 亿元")})
    assert info.value.diagnostics[0].code == "E323"


def test_an_enum_keyed_table() -> None:
    before = "table by_level: Level to money\n  when mid give 20 万元\n  when high give 50 万元\n"
    policy = _policy(
        "eligible when level reaches by_level", "amount by_level[level]", before=before
    )
    low = _decide(policy, {"firms": [{"id": "f", "level": "low"}]})
    high = _decide(policy, {"firms": [{"id": "f", "level": "high"}]})
    assert (low.status, high.status, high.amount) == (
        "not_eligible",  # low has no row
        "eligible",
        Money.of(50, "万元"),
    )


@pytest.mark.parametrize(
    ("rank", "status"), [(3, "eligible"), (4, "not_eligible"), (None, "unknown")]
)
def test_a_quota(rank: int | None, status: str) -> None:
    firm: dict[str, Any] = {"id": "f"}
    if rank is not None:
        firm["rank"] = rank
    d = _decide(_policy("amount 1 元", "quota 3 ranked by rank"), {"firms": [firm]})
    assert d.status == status
    if rank is None:
        assert d.missing_facts == ("firm.rank",)


def test_a_quota_ranks_the_batch_and_leaves_a_boundary_tie_unknown() -> None:
    policy = _policy("amount 1 元", "quota 3 ranked by rank")
    ranks = {"a": 1, "b": 3, "c": 3, "d": 2}  # a, d better than b and c; 2 + 2 tied > 3
    result = policy.evaluate({"firms": [{"id": k, "rank": v} for k, v in ranks.items()]})
    got = {d.subject: d.status for d in result.decisions}
    assert got == {"a": "eligible", "b": "unknown", "c": "unknown", "d": "eligible"}
    tie = next(d for d in result.decisions if d.subject == "b")
    assert tie.reasons[0].startswith("E418: quota 3 ranked by rank: rank 3 is tied with 1 other")


# ---- the fast path is not taken ------------------------------------------------------------


def test_tiers_and_quotas_take_the_general_way() -> None:
    """The generated code has no table look-up, reading or quota: such provisions are left
    out of it, and their decisions are the general evaluator's."""
    tiered = _policy(*SCALE)
    quota = _policy("amount 1 元", "quota 3 ranked by rank")
    table_only = _policy("eligible when revenue reaches scale", "amount scale[revenue]")
    plain = _policy("amount 1 元")
    assert [p.compiled.fast for p in (tiered, quota, table_only)] == [{}, {}, {}]
    assert list(plain.compiled.fast) == ["d/1/a"]


# ---- table parameters (分级分档 given by the caller) -------------------------------------


PARAM = 'parameter grades: table Level to money "分级分档，具体标准另行制定"\n'


def test_a_table_parameter_given_in_the_facts() -> None:
    policy = _policy("eligible when level reaches grades", "amount grades[level]", before=PARAM)
    unset = _decide(policy, {"firms": [{"id": "f", "level": "mid"}]})
    given = _decide(
        policy,
        {"firms": [{"id": "f", "level": "mid"}], "parameters": {"grades": {"mid": "30万元"}}},
    )
    assert (unset.status, unset.missing_parameters) == ("unknown", ("grades",))
    assert (given.status, given.amount) == ("eligible", Money.of(30, "万元"))
    assert given.parameters == (("grades", "[mid: 30 万元]"),)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ([1, 2], "a table is a mapping"),
        ({"top": "1 元"}, '["top"]: not a member of Level'),
        ({"mid": "ten"}, '["mid"]: not an amount of money'),
    ],
)
def test_a_bad_table_parameter_is_e345(value: Any, words: str) -> None:
    policy = _policy("eligible when level reaches grades", "amount grades[level]", before=PARAM)
    with pytest.raises(FactsError) as info:
        policy.evaluate({"firms": [{"id": "f"}], "parameters": {"grades": value}})
    d = info.value.diagnostics[0]
    assert d.code == "E345"
    assert words in d.message


def test_threshold_table_parameter_sorted_and_duplicates_refused() -> None:
    before = "parameter steps: table money to money\n"
    policy = _policy("eligible when revenue reaches steps", "amount steps[revenue]", before=before)
    facts: dict[str, Any] = {
        "firms": [{"id": "f", "revenue": "3亿元"}],
        "parameters": {"steps": {"5亿元": "2元", "1亿元": "1元"}},  # given out of order
    }
    assert _decide(policy, facts).amount == Money.of(1, "元")  # 1 亿 ≤ 3 亿 < 5 亿
    facts["parameters"] = {"steps": {"1亿元": "1元", "10000万元": "2元"}}
    with pytest.raises(FactsError) as info:
        policy.evaluate(facts)
    assert info.value.diagnostics[0].code == "E345"


def test_the_schema_of_a_table_parameter() -> None:
    policy = _policy("eligible when level reaches grades", "amount grades[level]", before=PARAM)
    got = policy.schema()["properties"]["parameters"]["properties"]["grades"]
    assert got["type"] == "object"
    assert got["propertyNames"] == {"enum": ["low", "mid", "high"]}
    assert "anyOf" in got["additionalProperties"]  # money: a number of 元 or text


# ---- the SQL batch: tables compiled; highest_only and quotas refused by name ----------------


def test_the_batch_reads_tables_and_tops_up_as_evaluate() -> None:
    # top_up (晋档补差): revenue 5 亿元 reaches the 200 万元 tier; 100 万元 granted before
    # under the provision → 100 万元 more.  Revenue just below 1 亿元: not eligible.
    from policyrules.backends.sql import duckdb as engine

    policy = _policy(*SCALE)
    firms = [
        {"id": "a", "revenue": "5亿元"},
        {"id": "b", "revenue": "99,999,999.99元"},
        {"id": "c", "revenue": "1亿元"},
        {"id": "d"},
    ]
    ledger = [{"provision": "d/1/a", "firm": "a", "amount": "100万元", "year": 2026}]
    facts = policy.read_facts({"firms": firms, "ledger": ledger})
    want = {
        d.subject: (d.status, d.amount.fen if d.amount is not None else None, d.amount_kind)
        for d in policy.evaluate(facts).decisions
    }
    con = engine.connect()
    engine.load_facts(con, policy.checked, facts, policy.read_ledger(ledger))
    engine.run_plan(con, compile_batch(policy.checked))
    got = {
        r[0]: tuple(r[1:])
        for r in con.execute(
            "SELECT subject, status, amount, amount_kind FROM decisions"
        ).fetchall()
    }
    assert got == want
    assert got["a"] == ("eligible", 100_000_000, "exact")
    assert got["b"][0] == "not_eligible"
    assert got["c"] == ("eligible", 100_000_000, "exact")
    assert got["d"][0] == "unknown"


@pytest.mark.parametrize(
    ("lines", "code", "words"),
    [
        (SCALE, "E612", "the tier reading `tiers by reading` (highest_only)"),
    ],
)
def test_batch_refusals(lines: tuple[str, ...], code: str, words: str) -> None:
    policy = _policy(*lines)
    with pytest.raises(BatchCompileError) as info:
        compile_batch(policy.checked, assumptions={"reading": "highest_only"})
    d = info.value.diagnostics[0]
    assert d.code == code
    assert d.message.startswith("d/1/a: ")
    assert words in d.message
    assert d.span is not None
    assert d.span.file == "t.rule"


def test_a_ledger_file_keeps_the_tier(tmp_path: Any) -> None:
    """Grants written as JSON keep their tier and read back the same (top of the round trip
    the CLI's --ledger-out makes)."""
    policy = _policy(*SCALE)
    first = policy.evaluate(
        {"firms": [{"id": "f", "revenue": "6亿元"}], "assumptions": {"reading": "highest_only"}}
    )
    ledger = [g.to_json() for g in first.grants]
    again = policy.evaluate(
        {
            "firms": [{"id": "f", "revenue": "7亿元"}],
            "ledger": ledger,
            "assumptions": {"reading": "highest_only"},
        }
    )
    (d,) = again.decisions
    assert d.status == "not_eligible"  # tier 5 亿 was paid: 7 亿 is in the same tier
