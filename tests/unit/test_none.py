"""Known-absent facts (issue 11 §9): `fact x: T or none`, `x is none`, `x otherwise D`.

A fact declared `or none` may be given as `none`: stated absent (未取得), a known value, so a
condition over it is decided (not eligible) where a missing fact leaves it unknown.  Every
layer is exercised: syntax and formatter, checker, facts reader and schema, the closures, the
generated fast path, the explanation, and the SQL batch (companion column `<fact>__none`).
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import duckdb
import jsonschema
import pytest
from tests.strategies import compile_text

import policyrules
from policyrules import syntax as s
from policyrules.api import Policy
from policyrules.backends.sql import compile_batch
from policyrules.backends.sql import duckdb as engine
from policyrules.errors import FactsError, RuleCheckError, RuleSyntaxError, TableError
from policyrules.facts import schema
from policyrules.printer import print_expr, print_module
from policyrules.runtime.values import NONE, NONE_TEXT
from policyrules.tables import read_registry
from policyrules.vocab import NONE_EN

ROOT = Path(__file__).resolve().parents[2]

HEADER = """document t "测试"
  valid from 2025-01-01 to 2027-12-31

enum Level { city "市级", national "国家级" }

entity firm "企业"
  list firms
  fact title_on: date or none "取得称号的日期"
  fact level: Level or none "称号级别"
  fact invest: money or none "投资额"
  fact other_on: date or none
  fact remark: text or none
  fact plain_on: date
  fact plain_text: text

clause 1
  quote "对取得国家级称号的企业给予奖励。"
"""

POLICY = (
    HEADER
    + """
  award x
    for each firm
    eligible when title_on in force
    eligible when level = national or level is none and other_on = title_on
    eligible when level not in {city}
    amount 10 万元 + (invest otherwise 0 元)

  award y
    for each firm
    eligible when title_on is not none and (other_on otherwise 2020-01-01) < 2026-01-01
    eligible when title_on != other_on
    amount 1 万元
"""
)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return compile_text(POLICY)


def _one(policy: Policy, provision: str, **facts: Any) -> policyrules.Decision:
    result = policy.evaluate({"firms": [{"id": "F", **facts}]})
    (d,) = [d for d in result.decisions if d.provision == f"t/1/{provision}"]
    return d


def _check_errors(body: str) -> str:
    with pytest.raises(RuleCheckError) as info:
        compile_text(HEADER + body)
    return str(info.value)


# ---- syntax and formatter ------------------------------------------------------------------


def test_or_none_is_none_and_otherwise_round_trip() -> None:
    module = policyrules.parse(POLICY, "t.rule")
    text = print_module(module)
    assert "fact title_on: date or none" in text
    # `otherwise` binds tighter than `<`: no parentheses needed
    assert "eligible when title_on is not none and other_on otherwise 2020-01-01 < 2026-01-01" in (
        text
    )
    assert policyrules.parse(text, "t.rule") == module


def test_otherwise_binds_tighter_than_a_comparison_and_looser_than_a_sum() -> None:
    module = policyrules.parse(
        HEADER + "\n  award z\n    for each firm\n    eligible when a otherwise b + c < d\n"
        "    amount x otherwise y otherwise z\n",
        "t.rule",
    )
    prov = module.items[-1].provisions[0]  # type: ignore[union-attr]
    cond = prov.body[1].condition
    # (a otherwise (b + c)) < d
    assert isinstance(cond, s.Compare)
    assert isinstance(cond.left, s.Otherwise)
    assert isinstance(cond.left.default, s.BinOp)
    amount = prov.body[2].expr
    # right-associative: x otherwise (y otherwise z)
    assert isinstance(amount, s.Otherwise)
    assert isinstance(amount.default, s.Otherwise)
    assert print_expr(cond) == "a otherwise b + c < d"
    # A sum whose operand is an `otherwise` keeps its parentheses.
    plus = s.BinOp("+", s.Otherwise(s.Name(("a",)), s.Name(("b",))), s.Name(("c",)))
    assert print_expr(plus) == "(a otherwise b) + c"


def test_none_is_a_keyword_not_a_name() -> None:
    with pytest.raises(RuleCheckError) as info:
        compile_text("enum Bad { none, some }\n")
    assert "E240" in str(info.value)
    with pytest.raises(RuleSyntaxError):
        policyrules.parse("entity e\n  list es\n  fact x: date or none or none\n", "t.rule")
    with pytest.raises(RuleCheckError) as info:
        compile_text("entity e\n  list es\n  fact none: date\n")
    assert "E240" in str(info.value)


# ---- checker -------------------------------------------------------------------------------


def test_or_none_is_refused_where_false_or_empty_says_it() -> None:
    text = _check_errors(
        "\nentity other\n  list others\n  fact ok: bool or none\n  fact d: determination or none\n"
        "  fact s: set of Level or none\n"
    )
    assert text.count("E280") == 3
    assert "a bool fact cannot be declared `or none`" in text


def test_a_value_that_may_be_none_needs_otherwise() -> None:
    text = _check_errors(
        "\n  award z\n    for each firm\n    eligible when year(title_on) = 2025\n"
        "    amount invest\n    cap invest\n    order by title_on\n"
    )
    assert text.count("E282") == 4
    assert "an amount needs a value, but invest may be none (money or none)" in text
    assert "hint: say what none counts as: `invest otherwise ...`" in text


def test_is_none_and_otherwise_on_a_fact_that_is_never_none() -> None:
    text = _check_errors(
        "\n  award z\n    for each firm\n    eligible when plain_on is none\n"
        "    eligible when (plain_on otherwise 2025-01-01) in force\n    amount 1 万元\n"
    )
    assert text.count("E283") == 2
    assert "`is none` on plain_on, which is never none (date)" in text


def test_otherwise_gives_the_fact_s_type() -> None:
    text = _check_errors(
        "\n  award z\n    for each firm\n    amount 1 万元\n"
        "    eligible when (invest otherwise 5%) > 0 元\n"
    )
    assert "E284" in text
    assert "`otherwise` gives rate where invest is money" in text


def test_a_decided_amount_cannot_be_none() -> None:
    text = _check_errors("\n  award z\n    for each firm\n    amount decided invest\n")
    assert "E282" in text


# ---- facts: reader and schema --------------------------------------------------------------


def test_none_is_read_as_stated_absent(policy: Policy) -> None:
    facts = policy.read_facts(
        {"firms": [{"id": "F", "title_on": "none", "level": "none", "remark": "none"}]}
    )
    (firm,) = facts.instances["firm"]
    assert firm.values == {"title_on": NONE, "level": NONE, "remark": NONE}
    # A text fact not declared `or none` keeps the text "none".
    facts = policy.read_facts({"firms": [{"id": "F", "plain_text": "none"}]})
    assert facts.instances["firm"][0].values["plain_text"] == "none"


def test_none_for_a_fact_that_cannot_be_none_is_refused(policy: Policy) -> None:
    with pytest.raises(FactsError) as info:
        policy.read_facts({"firms": [{"id": "F", "plain_on": "none"}]})
    text = str(info.value)
    assert "E350" in text
    assert "firms[0].plain_on" in text
    assert "declare the fact `date or none`" in text


def test_none_for_a_bool_says_write_false() -> None:
    policy = compile_text("entity firm\n  list firms\n  fact ok: bool\n")
    with pytest.raises(FactsError) as info:
        policy.read_facts({"firms": [{"id": "F", "ok": "none"}]})
    assert "E350" in str(info.value)
    assert "write false if it did not happen" in str(info.value)


def test_the_schema_accepts_none_exactly_where_the_reader_does(policy: Policy) -> None:
    sch = schema(policy.checked)
    ok = {"firms": [{"id": "F", "title_on": "none", "invest": "none", "level": "national"}]}
    jsonschema.validate(ok, sch)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"firms": [{"id": "F", "plain_on": "none"}]}, sch)
    prop = sch["properties"]["firms"]["items"]["properties"]["title_on"]
    assert {"const": "none", "description": "stated absent (无)"} in prop["anyOf"][0]["anyOf"]


# ---- evaluation ----------------------------------------------------------------------------


def test_none_decides_where_missing_waits(policy: Policy) -> None:
    # title_on none: `none in force` is false → not eligible, nothing missing.
    d = _one(policy, "x", title_on="none", level="national")
    assert (d.status, d.missing_facts) == ("not_eligible", ())
    # title_on missing: unknown, waiting on it.
    d = _one(policy, "x", level="national")
    assert (d.status, d.missing_facts) == ("unknown", ("firm.title_on",))


def test_comparisons_with_none(policy: Policy) -> None:
    # level none: `level = national` false; `level is none and other_on = title_on`:
    # both none → `=` holds between two nones only... here title_on is a date, other_on none:
    # false; so x is not eligible.
    d = _one(policy, "x", title_on="2025-03-01", level="none", other_on="none")
    assert d.status == "not_eligible"
    # other_on = title_on (both 2025-03-01) and level none → eligible; `level not in {city}`
    # holds for none. amount: 10 万 + (invest none otherwise 0) = 10 万元 = 10,000,000 fen.
    d = _one(policy, "x", title_on="2025-03-01", level="none", other_on="2025-03-01", invest="none")
    assert (d.status, d.amount) == ("eligible", policyrules.Money(10_000_000))
    # y: title_on given, other_on none → (none otherwise 2020-01-01) < 2026-01-01 holds, and
    # `title_on != none` holds → eligible 1 万元.
    d = _one(policy, "y", title_on="2025-03-01", other_on="none")
    assert (d.status, d.amount) == ("eligible", policyrules.Money(1_000_000))
    # title_on none: `title_on is not none` false → not eligible.
    assert _one(policy, "y", title_on="none").status == "not_eligible"


def test_known_is_true_for_none_and_unknown_stays_unknown() -> None:
    policy = compile_text(
        HEADER + "\n  target k\n    for each firm\n    require known(title_on)\n"
        "\n  target e\n    for each firm\n    require (invest otherwise 0 元) >= 5 万元\n"
    )
    got = {
        (d.provision, d.subject): d.status
        for d in policy.evaluate(
            {"firms": [{"id": "A", "title_on": "none", "invest": "none"}, {"id": "B"}]}
        ).decisions
    }
    assert got[("t/1/k", "A")] == "met"  # none is known
    assert got[("t/1/k", "B")] == "not_met"  # missing is not
    assert got[("t/1/e", "A")] == "not_met"  # none otherwise 0 元: 0 < 5 万
    assert got[("t/1/e", "B")] == "unknown"  # missing stays missing


def test_the_explanation_says_stated_absent(policy: Policy) -> None:
    firms = [
        {"id": "A", "title_on": "none"},
        {"id": "B", "level": "none", "title_on": "2025-03-01", "other_on": "none"},
    ]
    result = policy.evaluate({"firms": firms})
    text = result.explain(lang="en")
    # English words in the English text (issue 11 gap 4: it showed 无（已声明不存在）).
    assert f"t 第1条 x · A: title_on in force does not hold ({NONE_EN})" in text
    assert (
        "t 第1条 x · B: level = national or level is none and other_on = title_on does not hold"
        f" (level = {NONE_EN}, other_on = {NONE_EN})"  # title_on: read by the line before
    ) in text
    assert f"other_on = {NONE_EN}" in text  # the facts line
    assert NONE_TEXT not in text
    assert "已声明" not in text
    assert NONE_TEXT == "无（已声明不存在）"
    # the Chinese letter says it plainly: 无, other_on's title giving no note on none
    assert "firm.other_on：无；" in result.explain()
    assert NONE_TEXT not in result.explain()


# ---- the generated fast path ---------------------------------------------------------------


def test_the_fast_path_keeps_none_able_facts_in_comparisons(tmp_path: Path) -> None:
    # Generated code reads a none-able fact and leaves a claim with a stated none to the
    # closures (Slow): a provision comparing it keeps its generated functions; one that
    # writes `is none` or `otherwise` is always evaluated the general way.
    (tmp_path / "t.rule").write_text(
        HEADER + "\n  award c\n    for each firm\n    eligible when title_on in force"
        "\n    eligible when level = national\n    amount 1 万元\n" + POLICY[len(HEADER) :],
        encoding="utf-8",
    )
    policy = policyrules.load(tmp_path)
    assert "t/1/c" in policy.compiled.fast
    assert not {"t/1/x", "t/1/y"} & set(policy.compiled.fast)
    got = {
        d.subject: d.status
        for d in policy.evaluate({"firms": _grid()}).decisions
        if d.provision == "t/1/c"
    }
    # F-numbering: title_on varies slowest (36 firms each): none → F36..F71, 2025-03-01 →
    # F72..F107; level next (9 each): within title 2025-03-01, national → F99..F107.
    assert got["F36"] == "not_eligible"  # title none, level missing: decided by the none
    assert got["F99"] == "eligible"
    assert got["F72"] == "unknown"  # level missing
    assert got["F81"] == "not_eligible"  # level none: `none = national` is false
    shipped = policyrules.load(ROOT / "policies" / "beijing_2025")
    assert "jjxf_2025_50/13/overseas_registration" in shipped.compiled.fast


# ---- the SQL batch -------------------------------------------------------------------------


def _grid() -> list[dict[str, Any]]:
    values = {
        "title_on": [None, "none", "2025-03-01", "2024-01-01"],
        "level": [None, "none", "city", "national"],
        "invest": [None, "none", "5 万元"],
        "other_on": [None, "none", "2025-03-01"],
    }
    firms = []
    for i, combo in enumerate(itertools.product(*values.values())):
        firm = {"id": f"F{i}"}
        firm.update({k: v for k, v in zip(values, combo, strict=True) if v is not None})
        firms.append(firm)
    return firms


def test_the_batch_agrees_with_evaluate_on_every_combination(policy: Policy) -> None:
    # 4 × 4 × 3 × 3 = 144 firms × 2 provisions = 288 decisions, field for field.
    facts = policy.read_facts({"firms": _grid()})
    want = {
        (d.provision, d.subject): (
            d.status,
            d.amount.fen if d.amount else None,
            list(d.missing_facts),
        )
        for d in policy.evaluate(facts).decisions
    }
    con = engine.connect()
    engine.load_facts(con, policy.checked, facts, None)
    engine.run_plan(con, compile_batch(policy.checked))
    rows = con.execute("SELECT provision, subject, status, amount, missing_facts FROM decisions")
    got = {(r[0], r[1]): (r[2], r[3], list(r[4])) for r in rows.fetchall()}
    assert len(want) == 288
    assert got == want
    statuses = {v[0] for v in want.values()}
    assert statuses == {"eligible", "not_eligible", "unknown"}


def test_an_if_whose_value_may_be_none_compiles_and_agrees() -> None:
    # E615 is no longer raised: the `if` is none where the branch taken is none (or both
    # are, the condition unknown).  Every combination of the condition's fact (missing,
    # "a", "b") and the two branches (missing, none, in force, before the document):
    # 3 × 4 × 4 = 48 firms, each decision field for field.
    policy = compile_text(
        HEADER + "\n  target z\n    for each firm\n"
        '    require (if plain_text = "a" then title_on else other_on) in force\n'
        "  target w\n    for each firm\n"
        '    require (if plain_text = "a" then title_on else other_on) is none\n'
    )
    values = {
        "plain_text": [None, "a", "b"],
        "title_on": [None, "none", "2025-03-01", "2024-01-01"],
        "other_on": [None, "none", "2025-03-01", "2024-01-01"],
    }
    firms = []
    for i, combo in enumerate(itertools.product(*values.values())):
        firm = {"id": f"F{i}"}
        firm.update({k: v for k, v in zip(values, combo, strict=True) if v is not None})
        firms.append(firm)
    facts = policy.read_facts({"firms": firms})
    want = {
        (d.provision, d.subject): (d.status, list(d.missing_facts))
        for d in policy.evaluate(facts).decisions
    }
    con = engine.connect()
    engine.load_facts(con, policy.checked, facts, None)
    engine.run_plan(con, compile_batch(policy.checked))
    rows = con.execute("SELECT provision, subject, status, missing_facts FROM decisions")
    got = {(r[0], r[1]): (r[2], list(r[3])) for r in rows.fetchall()}
    assert len(want) == 96
    assert got == want
    # plain_text missing, both branches none (F5: index 0·16 + 1·4 + 1): none either way,
    # so `is none` is met and `in force` is not met, with nothing missing.
    assert want[("t/1/w", "F5")] == ("met", [])
    assert want[("t/1/z", "F5")] == ("not_met", [])
    # plain_text "a", title_on none (F16 + 4 = F20): none, not in force.
    assert want[("t/1/z", "F20")] == ("not_met", [])


def test_a_registry_gives_none_in_the_companion_column(policy: Policy, tmp_path: Path) -> None:
    (tmp_path / "firms.csv").write_text(
        "id,title_on,title_on__none,level\nA,,true,national\nB,2025-03-01,,national\n",
        encoding="utf-8",
    )
    con = duckdb.connect()
    read_registry(policy.checked, tmp_path, con)
    rows = con.execute(
        "SELECT id, title_on, title_on__none, level__none FROM firms ORDER BY id"
    ).fetchall()
    # level__none: no column in the file → NULL (not stated none).
    assert rows[0][0] == "A"
    assert rows[0][1] is None
    assert rows[0][2] is True
    assert rows[0][3] is None
    assert rows[1][2] is None


def test_a_registry_row_with_a_value_and_a_none_flag_is_refused(
    policy: Policy, tmp_path: Path
) -> None:
    (tmp_path / "firms.csv").write_text(
        "id,title_on,title_on__none\nA,,true\nB,2025-03-01,true\n", encoding="utf-8"
    )
    with pytest.raises(TableError) as info:
        read_registry(policy.checked, tmp_path, duckdb.connect())
    text = str(info.value)
    assert "E351" in text
    assert "row 2" in text
    assert "title_on__none" in text


def test_none_in_force_reads_no_assumption_with_or_without_explanations() -> None:
    # 第9条 counts events from device_events_from; a date stated none is not in force
    # without that start being read, so the decision names no assumption either way.
    shipped = policyrules.load(ROOT / "policies" / "beijing_2025")
    facts = {"sme_clusters": [{"id": "C1", "national_cluster_awarded_on": "none"}]}
    for explain in (True, False):
        (d,) = [
            d
            for d in shipped.evaluate(facts, explain=explain).decisions
            if d.provision == "jjxf_2025_50/9/national_cluster"
        ]
        assert (d.status, d.assumptions) == ("not_eligible", ())
