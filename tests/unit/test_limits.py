"""A count limit per owner: ``limit N per E [per year of D]`` (单个企业每年奖励人数不超过 N 人).

The trial's clause 三 (issue hAY): 每人 50 万元, 单个企业每年奖励人数不超过 5 人; seven talents
of firm F1, joined 2026-03-01 … 03-07, all recognised.  Amounts are worked by hand in the
comments; 1 万元 = 10,000.00 元.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.strategies import compile_text

import policyrules
from policyrules import Money, RuleCheckError
from policyrules.backends.sql import BatchCompileError, compile_batch
from policyrules.backends.sql import duckdb as engine
from policyrules.backends.sql import spark as on_spark
from policyrules.backends.sql.spark_tables import read_registry
from policyrules.batch_columns import decisions_sql
from policyrules.parse import parse
from policyrules.printer import print_module
from policyrules.summary import provision_said
from policyrules.words import Words

HEAD = """entity firm "企业"
  list firms
entity talent "高层次人才"
  list talents of firm
  fact recognised_talent: determination "经认定的高层次人才"
  fact joined_on: date "入职日期"
parameter max_talents: count = 5 "每年奖励人数上限"

document d "测试"
  valid from 2026-01-01 to 2028-12-31
"""
QUOTE = "对企业新引进的高层次人才，按每人50万元给予奖励，单个企业每年奖励人数不超过5人。"
AWARD = (
    "eligible when recognised_talent and joined_on in force",
    "amount 50 万元",
    "once per talent",
    "limit 5 per firm per year of joined_on",
    "order by joined_on, id",
)
PID = "d/三/talent_award"
QUOTE_PAID = QUOTE.replace("给予奖励，", "给予奖励，奖励资金分三年拨付（40%、30%、30%），")
SCHEDULE = "paid over 3 years from joined_on: 40%, 30%, 30% remainder last"


def _text(*lines: str, quote: str = QUOTE) -> str:
    inner = "".join(f"    {line}\n" for line in lines)
    return (
        f'{HEAD}clause 三 "高层次人才奖励"\n  quote "{quote}"\n'
        f"  award talent_award\n    for each talent\n{inner}"
    )


def _policy(*lines: str, quote: str = QUOTE) -> policyrules.Policy:
    return compile_text(_text(*lines, quote=quote))


def _talents(n: int, day: int = 1, year: int = 2026, **over: Any) -> list[dict[str, Any]]:
    out = []
    for i in range(1, n + 1):
        t = {"id": f"T{i}", "recognised_talent": True, "joined_on": f"{year}-03-{day + i - 1:02d}"}
        t.update(over.get(f"T{i}", {}))
        out.append(t)
    return out


def _facts(*firms: tuple[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {"as_of": "2026-12-31", "firms": [{"id": f, "talents": ts} for f, ts in firms]}


def _by_subject(result: policyrules.Result, firm: str = "F1") -> dict[str, policyrules.Decision]:
    """F1's decisions under the award, by the talent's id."""
    out = {}
    for d in result.decisions:
        if d.provision == PID and d.subject is not None and d.subject.startswith(f"{firm}/"):
            out[d.subject.split("/")[-1]] = d
    return out


def _paid(result: policyrules.Result) -> Money:
    return sum((g.amount for g in result.grants if g.provision == PID), Money.zero())


# ---- the trial's case ----------------------------------------------------------------------


def test_the_first_five_in_order_are_paid_and_two_are_not() -> None:
    """Seven talents of F1, listed in reverse: served by `order by joined_on`, T1–T5 are
    paid 50 万元 each (5 × 50 万元 = 250 万元), T6 and T7 are not eligible, their reason
    naming the limit and the five who took it.  (The old code refused `limit`: E100s.)"""
    talents = list(reversed(_talents(7)))
    result = _policy(*AWARD).evaluate(_facts(("F1", talents)))
    by = _by_subject(result)
    for t in ("T1", "T2", "T3", "T4", "T5"):
        assert (by[t].status, by[t].amount) == ("eligible", Money.of(50, "万元")), t
    assert _paid(result) == Money.of(250, "万元")  # 5 × 50 万元
    for t in ("T6", "T7"):
        assert by[t].status == "not_eligible"
        assert by[t].reasons == (
            "limit 5 per firm per year of joined_on: firm F1 has 5 paid in 2026 "
            "(talent T1, T2, T3, T4, T5); no place left",
        )


def test_the_trial_paid_in_instalments_counts_people_not_money() -> None:
    """分三年拨付（40%、30%、30%）: this year's instalment is 40% × 50 万元 = 20 万元 for
    each of T1–T5 (5 × 20 万元 = 100 万元); T6 and T7 take no place, whatever the money."""
    policy = _policy(*AWARD[:4], SCHEDULE, AWARD[4], quote=QUOTE_PAID)
    result = policy.evaluate(_facts(("F1", _talents(7))))
    by = _by_subject(result)
    assert [by[f"T{i}"].status for i in range(1, 8)] == ["eligible"] * 5 + ["not_eligible"] * 2
    assert _paid(result) == Money.of(100, "万元")  # 5 × 20 万元


def test_each_firm_has_its_own_places() -> None:
    """Per firm: F2's three talents are all paid though F1 filled its five places."""
    facts = _facts(("F1", _talents(7)), ("F2", _talents(3)))
    result = _policy(*AWARD).evaluate(facts)
    assert [d.status for d in _by_subject(result, "F2").values()] == ["eligible"] * 3
    assert _paid(result) == Money.of(400, "万元")  # (5 + 3) × 50 万元


def test_a_talent_not_eligible_takes_no_place() -> None:
    """T2 not recognised: the five places go to T1, T3, T4, T5, T6; T7 alone is refused."""
    facts = _facts(("F1", _talents(7, T2={"recognised_talent": False})))
    by = _by_subject(_policy(*AWARD).evaluate(facts))
    assert by["T6"].status == "eligible"
    assert by["T7"].status == "not_eligible"
    assert "(talent T1, T3, T4, T5, T6)" in by["T7"].reasons[0]


# ---- the ledger ----------------------------------------------------------------------------


def _grant(subject: str, amount: str, year: int, firm: str = "F1") -> dict[str, Any]:
    return {"provision": PID, "firm": firm, "talent": subject, "amount": amount, "year": year}


def test_ledger_grants_of_the_year_count_and_instalments_once() -> None:
    """Paid in instalments: the ledger paid X1 twice (2026 and 2027: one place, in 2026,
    the year of its first payment) and X2 in 2026; X3's 0.00 元 is no payment; F2's X4 is
    another firm's.  2026 has 2 places taken: T1–T3 are paid this year's 40% × 50 万元 =
    20 万元 each (3 × 20 万元 = 60 万元)."""
    ledger = [
        _grant("X1", "20万元", 2026),
        _grant("X1", "15万元", 2027),
        _grant("X2", "20万元", 2026),
        _grant("X3", "0元", 2026),
        _grant("X4", "20万元", 2026, firm="F2"),
    ]
    # (without `once per talent`: the ledger's reader refuses a second instalment under it, E328)
    policy = _policy(*AWARD[:2], *AWARD[3:4], SCHEDULE, AWARD[4], quote=QUOTE_PAID)
    result = policy.evaluate(_facts(("F1", _talents(7))), ledger=ledger)
    by = _by_subject(result)
    assert [by[f"T{i}"].status for i in range(1, 8)] == ["eligible"] * 3 + ["not_eligible"] * 4
    assert _paid(result) == Money.of(60, "万元")  # 3 × 20 万元
    assert "firm F1 has 5 paid in 2026 (talent X1, X2, T1, T2, T3)" in by["T4"].reasons[0]


def test_ledger_grants_of_another_year_do_not_count() -> None:
    """Five talents first paid in 2025 fill 2025's places, not 2026's: T1–T5 are paid."""
    ledger = [_grant(f"Y{i}", "20万元", 2025) for i in range(1, 6)]
    result = _policy(*AWARD).evaluate(_facts(("F1", _talents(7))), ledger=ledger)
    by = _by_subject(result)
    assert [by[f"T{i}"].status for i in range(1, 8)] == ["eligible"] * 5 + ["not_eligible"] * 2


def test_a_subject_paid_before_keeps_its_place() -> None:
    """T6 was paid an instalment in 2026 (a grant of the ledger): it holds one of 2026's
    five places and is never refused its own entitlement; T1–T4 take the other four and
    T5, T7 are refused.  Its entitlement, 50 万元, less the 20 万元 paid: 30 万元."""
    ledger = [_grant("T6", "20万元", 2026)]
    result = _policy(*AWARD[:2], *AWARD[3:]).evaluate(_facts(("F1", _talents(7))), ledger=ledger)
    by = _by_subject(result)
    assert by["T6"].status == "eligible"
    assert by["T6"].amount == Money.of(30, "万元")
    assert [by[t].status for t in ("T1", "T2", "T3", "T4")] == ["eligible"] * 4
    assert by["T5"].status == by["T7"].status == "not_eligible"


def test_grants_fed_back_take_their_places() -> None:
    """hBR's case: an award paid at once with no yearly cap.  T1–T5 (joined 2026) are paid
    5 × 50 万元 = 250 万元; their grants carry 2026, the year of joined_on the limit counted
    them in.  Fed back as the ledger, they take 2026's five places: three more talents
    joined in 2026 (T6–T8) are not eligible, none paid.  (The old code made the grants
    with no year; fed back they took no place and T6–T8 were paid: 8 talents where the
    text allows 5.)"""
    policy = _policy(*AWARD)
    first = policy.evaluate(_facts(("F1", _talents(5))))
    assert {g.year for g in first.grants} == {2026}
    assert _paid(first) == Money.of(250, "万元")  # 5 × 50 万元
    later = [{**t, "id": f"T{int(t['id'][1:]) + 5}"} for t in _talents(3, day=10)]
    again = policy.evaluate(_facts(("F1", later)), ledger=list(first.grants))
    by = _by_subject(again)
    assert [by[t].status for t in ("T6", "T7", "T8")] == ["not_eligible"] * 3
    assert _paid(again) == Money.zero()


def test_a_ledger_row_without_its_year_is_refused() -> None:
    """A ledger row of the limited award with no `year` is refused, E325: it could take no
    place in any year of `per year of joined_on`."""
    row = {"provision": PID, "firm": "F1", "talent": "X1", "amount": "50万元"}
    with pytest.raises(policyrules.LedgerError) as caught:
        _policy(*AWARD).read_ledger([row])
    assert caught.value.code == "E325"
    assert "yearly cap or limit" in str(caught.value)


# ---- an undecided claim holds a place ------------------------------------------------------


def test_an_unknown_talent_holds_a_place() -> None:
    """T2's recognition is not given: it may be paid, so it holds a place.  T3–T5 are
    within (at T5: 3 paid + 1 held = 4 < 5); T6 meets 4 paid + T2 held = 5 and is unknown,
    needing T2's fact, never refused nor exact; T7 (4 paid, T2 and T6 held) too."""
    facts = _facts(("F1", _talents(7, T2={"recognised_talent": None})))
    for t in facts["firms"][0]["talents"]:
        if t["id"] == "T2":
            del t["recognised_talent"]
    result = _policy(*AWARD).evaluate(facts)
    by = _by_subject(result)
    assert by["T2"].status == "unknown"
    assert [by[t].status for t in ("T1", "T3", "T4", "T5")] == ["eligible"] * 4
    for t in ("T6", "T7"):
        assert by[t].status == "unknown", t
        assert "talent.recognised_talent" in by[t].missing_facts
    assert _paid(result) == Money.of(200, "万元")  # 4 × 50 万元


def test_explanations_off_decide_the_same() -> None:
    facts = _facts(("F1", _talents(7, T2={"recognised_talent": False})))
    policy = _policy(*AWARD)
    on, off = policy.evaluate(facts), policy.evaluate(facts, explain=False)
    assert [(d.subject, d.status, d.amount) for d in on.decisions] == [
        (d.subject, d.status, d.amount) for d in off.decisions
    ]


def test_a_parameter_sets_n() -> None:
    """`limit max_talents …` with max_talents = 2: T1, T2 paid (2 × 50 万元 = 100 万元)."""
    lines = (*AWARD[:3], "limit max_talents per firm per year of joined_on", AWARD[4])
    result = _policy(*lines).evaluate(_facts(("F1", _talents(4))), parameters={"max_talents": 2})
    assert _paid(result) == Money.of(100, "万元")


def test_the_refusal_in_chinese() -> None:
    result = _policy(*AWARD).evaluate(_facts(("F1", _talents(6))))
    text = result.explain(lang="zh")
    assert (
        "每个企业每年奖励不超过 5 个高层次人才：企业 F1 2026 年度已有 5 个高层次人才获得奖励"
        "（T1、T2、T3、T4、T5），名额已满"
    ) in text


# ---- the checker, the formatter, the batch -------------------------------------------------


def test_the_formatter_prints_it_back() -> None:
    text = _text(*AWARD)
    printed = print_module(parse(text, "t.rule"))
    assert "    limit 5 per firm per year of joined_on\n" in printed
    assert print_module(parse(printed, "t.rule")) == printed


@pytest.mark.parametrize(
    ("line", "code", "part"),
    [
        ("limit 0 per firm", "E278", "a limit of 0"),
        ("limit joined_on per firm", "E278", "not a whole number nor a number parameter"),
        ("limit 5 per talent", "E207", "'talent' is not an owner of talent"),
        ("limit 5 per firm per year of recognised_talent", "E205", "must be date"),
    ],
)
def test_a_bad_limit_has_its_code(line: str, code: str, part: str) -> None:
    with pytest.raises(RuleCheckError) as info:
        _policy(*AWARD[:3], line)
    got = [(d.code, d.message) for d in info.value.diagnostics]
    assert any(c == code and part in m for c, m in got), got


def test_a_count_cap_points_to_limit() -> None:
    with pytest.raises(RuleCheckError) as info:
        _policy(*AWARD[:3], "cap 5 per firm")
    (d,) = [d for d in info.value.diagnostics if d.code == "E206"]
    assert d.hint is not None
    assert "`limit N per firm [per year of D]`" in d.hint


def test_w212_reads_n_against_the_quote() -> None:
    """不超过5人 states 5: no W212; a limit of 3 is no figure of the quote."""
    ok = _policy(*AWARD)
    assert not [d for d in ok.checked.warnings if d.code == "W212"]
    off = _policy(*AWARD[:3], "limit 3 per firm per year of joined_on")
    assert [d.message for d in off.checked.warnings if d.code == "W212" and "limit 3" in d.message]


def _on_duckdb(policy: policyrules.Policy, raw: dict[str, Any], ledger: Any = ()) -> Any:
    """The batch's decisions (as an analyst reads them) and grants, on DuckDB."""
    con = engine.connect()
    engine.load_facts(con, policy.checked, policy.read_facts(raw), policy.read_ledger(ledger))
    engine.run_plan(con, compile_batch(policy.checked))
    named = decisions_sql(Words.of(policy.checked), "decisions")
    rows = con.execute(
        f"SELECT subject, status, amount_fen, binding_caps, missing_facts FROM ({named})"
    ).fetchall()
    paid = con.execute("SELECT sum(amount_fen) FROM grants").fetchone()
    return con, {r[0].split("/")[-1]: r[1:] for r in rows}, paid[0] if paid else None


_FULL_ZH = (
    "每个企业每年奖励不超过 5 个高层次人才：企业 F1 2026 年度已有 5 个高层次人才获得奖励"
    "（T1、T2、T3、T4、T5），名额已满"
)


def test_the_batch_pays_the_first_five_and_refuses_two() -> None:
    """The trial's case on DuckDB, as one by one: T1–T5 paid 50 万元 each, 5 × 50 万元 =
    250 万元 = 250,000,000 fen; T6 and T7 not eligible, the limit's line in binding_caps
    as the Chinese text says it.  (The old code refused the policy: E650.)"""
    raw = _facts(("F1", list(reversed(_talents(7)))))
    _, by, paid = _on_duckdb(_policy(*AWARD), raw)
    for t in ("T1", "T2", "T3", "T4", "T5"):
        assert by[t] == ("eligible", 50_000_000, [], []), t
    assert paid == 250_000_000  # 5 × 50 万元
    for t in ("T6", "T7"):
        assert by[t] == ("not_eligible", None, [_FULL_ZH], []), t


def test_the_batch_counts_the_ledger_and_held_places() -> None:
    """The ledger paid X10 and X2 in 2026 (two places, named in natural order: X2 before
    X10) and Y1 in 2025 (none in 2026); T2's recognition is missing, so it holds a place.
    Served by joined_on: T1 (2 taken) and T3 (3 taken + T2 held) are paid, 2 × 50 万元 =
    100 万元; T4–T6 meet 4 taken + T2 held = 5 and are unknown, needing T2's fact.  With
    T2 not recognised it holds nothing: T1, T3, T4 are paid (3 × 50 万元 = 150 万元) and
    T5, T6 meet X2, X10, T1, T3, T4."""
    grants = [
        _grant("X10", "20万元", 2026),
        _grant("X2", "20万元", 2026),
        _grant("Y1", "5万元", 2025),
    ]
    talents = _talents(6)
    del talents[1]["recognised_talent"]
    _, by, paid = _on_duckdb(_policy(*AWARD), _facts(("F1", talents)), grants)
    assert paid == 100_000_000  # T1, T3: 2 × 50 万元
    assert by["T2"][:2] == ("unknown", None)
    for t in ("T4", "T5", "T6"):
        assert by[t] == ("unknown", None, [], ["talent.recognised_talent"]), t
    talents[1]["recognised_talent"] = False
    _, by, paid = _on_duckdb(_policy(*AWARD), _facts(("F1", talents)), grants)
    assert paid == 150_000_000  # T1, T3, T4: 3 × 50 万元
    line = _FULL_ZH.replace("（T1、T2、T3、T4、T5）", "（X2、X10、T1、T3、T4）")
    assert by["T5"] == by["T6"] == ("not_eligible", None, [line], [])


def test_the_batch_grants_carry_the_limits_year() -> None:
    """On DuckDB as one by one: the five grants of the award paid at once carry 2026, the
    year of joined_on (the old code wrote them with no year, and a ledger made of them took
    no place: test_grants_fed_back_take_their_places)."""
    con, _, paid = _on_duckdb(_policy(*AWARD), _facts(("F1", _talents(7))))
    assert paid == 250_000_000  # 5 × 50 万元
    assert con.execute("SELECT list(DISTINCT year) FROM grants").fetchone()[0] == [2026]


def test_the_batch_names_five_and_counts_the_rest() -> None:
    """A limit of 6 counted over every year (累计): the 7th meets six paid, five named."""
    lines = (*AWARD[:3], "limit 6 per firm", AWARD[4])
    quote = QUOTE.replace("每年奖励人数不超过5人", "累计奖励人数不超过6人")
    _, by, paid = _on_duckdb(_policy(*lines, quote=quote), _facts(("F1", _talents(7))))
    assert paid == 300_000_000  # 6 × 50 万元
    assert by["T7"][2] == [
        "每个企业奖励不超过 6 个高层次人才：企业 F1 累计已有 6 个高层次人才获得奖励"
        "（T1、T2、T3、T4、T5 等 6 个），名额已满"
    ]


@pytest.mark.timeout(600)  # the JVM starts
def test_the_batch_on_spark_gives_duckdbs_rows(spark: Any, tmp_path: Path) -> None:
    """The trial's case on Spark: the same decisions and grants as on DuckDB."""
    policy = _policy(*AWARD)
    con, _, _ = _on_duckdb(policy, _facts(("F1", list(reversed(_talents(7))))))
    plan = compile_batch(policy.checked)
    for name in [n for n in plan.inputs if n != "calendar_days"]:
        con.execute(f"COPY \"{name}\" TO '{tmp_path / name}.parquet' (FORMAT parquet)")
    outputs = on_spark.run_plan(spark, plan, read_registry(spark, policy.checked, str(tmp_path)))
    cols = "subject, status, amount, binding_caps"
    want = sorted(con.execute(f"SELECT {cols} FROM decisions").fetchall())
    got = sorted(
        (r[0], r[1], r[2], list(r[3]))
        for r in outputs["decisions"].select(*cols.split(", ")).collect()
    )
    assert got == want
    assert sum(r["amount_fen"] for r in outputs["grants"].collect()) == 250_000_000  # 5 × 50 万元


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ("cap 200 万元 per firm per year of joined_on", "a cap whose room depends on other claims"),
        ("amount 40 万元 to 50 万元", "a range, minimum, rounding or raised cap"),
    ],
)
def test_the_batch_refuses_the_shapes_it_does_not_compile(line: str, what: str) -> None:
    lines = [*AWARD[:1], line if line.startswith("amount") else AWARD[1], *AWARD[2:]]
    if not line.startswith("amount"):
        lines.insert(2, line)
    with pytest.raises(BatchCompileError) as info:
        compile_batch(_policy(*lines).checked)
    (d,) = info.value.diagnostics
    assert d.code == "E650"
    assert what in d.message
    assert "cannot be compiled to SQL yet" in d.message
    assert d.span is not None


def test_the_batch_refuses_a_parameter_with_no_whole_value() -> None:
    lines = (*AWARD[:3], "limit max_talents per firm per year of joined_on", AWARD[4])
    policy = _policy(*lines)
    compile_batch(policy.checked)  # its default, 5
    with pytest.raises(BatchCompileError) as info:
        compile_batch(policy.checked, parameters={"max_talents": Decimal("2.5")})
    assert "N the parameter `max_talents`" in info.value.diagnostics[0].message


def test_limit_stays_free_as_a_name() -> None:
    """`limit` only opens a statement: a fact named `limit` (as policies wrote before the
    statement existed) still parses and checks, beside a `limit` statement."""
    text = _text(*AWARD).replace(
        '  fact joined_on: date "入职日期"\n',
        '  fact joined_on: date "入职日期"\n  fact limit: money "限额"\n',
    )
    text = text.replace("    amount 50 万元\n", "    amount min(50 万元, limit)\n")
    result = compile_text(text).evaluate(
        _facts(("F1", [{**t, "limit": "40万元"} for t in _talents(6)]))
    )
    by = _by_subject(result)
    assert by["T1"].amount == Money.of(40, "万元")  # min(50 万元, 40 万元)
    assert by["T6"].status == "not_eligible"


def test_the_clause_says_the_limit_in_chinese() -> None:
    """The clause's readers (explain CLAUSE, the reference) say the limit as a cap is said."""
    policy = _policy(*AWARD)
    clause = policy.checked.clause("d/三")
    assert clause is not None
    assert provision_said(policy.words, clause.provisions[0])["caps"] == [
        "每个高层次人才只给一次",
        "单个企业每个年度（按入职日期所在年度计）奖励不超过 5 个高层次人才",
    ]


def test_a_talent_of_unknown_year_holds_a_place_in_every_year() -> None:
    """T2's joined_on is not given: its year unknown, it holds a place in each year of F1
    (and is served first, its place in the order unknown).  T1, T3, T4, T5 are paid (at T5:
    3 paid + T2 held = 4 < 5); T6 meets 4 + 1 = 5: unknown, needing T2's date; T7 too.
    Explanations on or off, the same decisions."""
    facts = _facts(("F1", _talents(7)))
    del facts["firms"][0]["talents"][1]["joined_on"]
    policy = _policy(*AWARD)
    result = policy.evaluate(facts)
    by = _by_subject(result)
    assert [by[t].status for t in ("T1", "T3", "T4", "T5")] == ["eligible"] * 4
    for t in ("T2", "T6", "T7"):
        assert by[t].status == "unknown", t
        assert by[t].missing_facts == ("talent.joined_on",)
    off = policy.evaluate(facts, explain=False)
    assert [(d.subject, d.status, d.amount) for d in result.decisions] == [
        (d.subject, d.status, d.amount) for d in off.decisions
    ]
