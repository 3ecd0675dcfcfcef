"""Exclusive groups in the SQL batch (issue 11 §6), on DuckDB and on Spark: the case of the
user who found them refused (E618): 同一项目同时符合本措施第二条、第三条的，按照就高原则给予支持，
不重复支持.  The amounts are worked out by hand below; the one-by-one path gives the same
(checked too).  The equivalence property: tests/property/test_batch_equivalence_props.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from tests.strategies import compile_text

from policyrules.backends.sql import BatchCompileError, compile_batch
from policyrules.cli import main
from policyrules.explain_exclusive import exclusion_zh
from policyrules.words import Words

pytestmark = pytest.mark.timeout(600)  # the JVM starts

RULES = """entity firm "企业"
  list firms

entity project "项目"
  list projects of firm
  fact kind: ProjectKind "项目类型"
  fact equipment_investment: money "项目设备投资"
  fact total_investment: money "项目总投资"
  fact applied_on: date "申报日期"

enum ProjectKind "项目类型" {
  new_industrialisation "新建生物医药产业化项目",
  tech_upgrade "技术改造项目",
}

document sq "示例区促进生物医药产业高质量发展若干措施"
  issued 2026-02-10
  valid from 2026-02-10 to 2028-12-31

clause 二 "支持产业化项目建设"
  quote "对企业新建生物医药产业化项目，按照项目设备投资的20%给予补助，最高不超过2000万元。\
同一项目同时符合本措施第二条、第三条的，按照就高原则给予支持，不重复支持。"
  exclusive industrialisation_subsidy, upgrade_support among project keep highest ties by listed

  award industrialisation_subsidy "产业化项目设备投资补助"
    for each project
    eligible when kind = new_industrialisation
    eligible when applied_on in force
    amount 20% of equipment_investment
    cap 2000 万元 per project

clause 三 "支持技术改造"
  quote "对企业开展技术改造的项目，按照项目总投资的10%给予支持，最高不超过1500万元。"

  award upgrade_support "技术改造项目支持"
    for each project
    eligible when applied_on in force
    amount 10% of total_investment
    cap 1500 万元 per project
"""

TWO = "sq/二/industrialisation_subsidy"
THREE = "sq/三/upgrade_support"
HEAD = "不重复支持（按照就高原则，金额相同的按排列在前的一项）："
# the awards as the Chinese texts name them (the document has no number: its title)
NAME_TWO = "《示例区促进生物医药产业高质量发展若干措施》第二条“产业化项目设备投资补助”"
NAME_THREE = "《示例区促进生物医药产业高质量发展若干措施》第三条“技术改造项目支持”"

# (firm, project, kind, equipment, total): applied 2026-04-01, in force
PROJECTS = [
    # 二 20% × 5000 万元 = 1000 万元; 三 10% × 12000 万元 = 1200 万元 (under 1500 万元): 三 alone
    ("0701", "P1", "new_industrialisation", "5000万元", "12000万元"),
    # 二 not eligible (a technical upgrade): 三 10% × 3000 万元 = 300 万元, no rival
    ("0701", "P2", "tech_upgrade", "1000万元", "3000万元"),
    # 二 1000 万元 = 三 10% × 10000 万元 = 1000 万元: a tie, 二 listed first (按本条支持)
    ("0701", "P3", "new_industrialisation", "5000万元", "10000万元"),
    # 二 unknown (no kind): it may pay 1000 万元, so 三's 300 万元 is at most, not granted
    ("0701", "P4", None, "5000万元", "3000万元"),
    # 二 20% × 1000 万元 = 200 万元, 100 万元 granted under it before: it pays the rest,
    # 100 万元; 三 (500 万元) is excluded by that grant (已获得…支持的不再支持)
    ("0701", "P5", "new_industrialisation", "1000万元", "5000万元"),
    # another firm's P1: its own record; 三 10% × 2000 万元 = 200 万元
    ("0702", "P1", "tech_upgrade", "0万元", "2000万元"),
]
LEDGER = [(TWO, "0701", "P5", "100万元")]

WAN = 10**6  # fen in 1 万元

# (provision, subject) -> status, amount (fen), kind, binding_caps
WANT: dict[tuple[str, str], tuple[Any, ...]] = {
    (TWO, "0701/P1"): (
        "not_eligible",
        None,
        None,
        [HEAD + f"同一对象按{NAME_THREE}支持（1200 万元（确定金额）），本项不予支持"],
    ),
    (THREE, "0701/P1"): (
        "eligible",
        1200 * WAN,
        "exact",
        [HEAD + f"本项支持金额不低于{NAME_TWO}（1000 万元（确定金额）），按本项支持"],
    ),
    (TWO, "0701/P2"): ("not_eligible", None, None, []),
    (THREE, "0701/P2"): ("eligible", 300 * WAN, "exact", []),
    (TWO, "0701/P3"): (
        "eligible",
        1000 * WAN,
        "exact",
        [HEAD + f"本项支持金额不低于{NAME_THREE}（1000 万元（确定金额）），按本项支持"],
    ),
    (THREE, "0701/P3"): (
        "not_eligible",
        None,
        None,
        [HEAD + f"同一对象按{NAME_TWO}支持（1000 万元（确定金额）），本项不予支持"],
    ),
    (TWO, "0701/P4"): (
        "unknown",
        None,
        None,
        # 二 undecided, 三 exact (hCD's trial: 「…尚未确定（300 万元（确定金额））」)
        [
            HEAD + f"{NAME_THREE}为 300 万元（确定金额），本项尚未确定："
            "本项金额高于该项时按本项支持，否则按该项支持"
        ],
    ),
    (THREE, "0701/P4"): (
        "eligible",
        300 * WAN,
        "up_to",
        [HEAD + f"{NAME_TWO}尚未确定（金额待定），可能按该项支持，本项金额只是上限"],
    ),
    (TWO, "0701/P5"): ("eligible", 100 * WAN, "exact", []),
    (THREE, "0701/P5"): (
        "not_eligible",
        None,
        None,
        [HEAD + f"同一对象此前已按{NAME_TWO}获得 100 万元（确定金额），本项不再支持"],
    ),
    (TWO, "0702/P1"): ("not_eligible", None, None, []),
    (THREE, "0702/P1"): ("eligible", 200 * WAN, "exact", []),
}
# the exact amounts above 0.00 元: (provision, firm, project, fen)
GRANTS = sorted(
    [
        (THREE, "0701", "P1", 1200 * WAN),
        (THREE, "0701", "P2", 300 * WAN),
        (TWO, "0701", "P3", 1000 * WAN),
        (TWO, "0701", "P5", 100 * WAN),
        (THREE, "0702", "P1", 200 * WAN),
    ]
)


def _text(v: str | None) -> str:
    return "NULL" if v is None else "'" + v + "'"


def _registry(folder: Path, ledger: list[tuple[str, ...]] = LEDGER) -> Path:
    reg = folder / "reg"
    reg.mkdir()
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM (VALUES ('0701'), ('0702')) t(id)) TO '{reg}/firms.parquet'")
    rows = ", ".join(f"({', '.join(map(_text, p))}, DATE '2026-04-01')" for p in PROJECTS)
    con.execute(
        f"COPY (SELECT id, firm_id, kind, equipment_investment, total_investment, applied_on "
        f"FROM (VALUES {rows}) t(firm_id, id, kind, equipment_investment, total_investment, "
        f"applied_on)) TO '{reg}/projects.parquet'"
    )
    grants = ", ".join(f"({', '.join(map(_text, g))})" for g in ledger)
    con.execute(
        f"COPY (SELECT * FROM (VALUES {grants}) t(provision, firm, project, amount)) "
        f"TO '{reg}/ledger.parquet'"
    )
    con.close()
    return reg


def _run(
    tmp_path: Path, rules: str, *engine: str, ledger: list[tuple[str, ...]] = LEDGER
) -> tuple[dict[tuple[str, str], Any], list[Any]]:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "t.rule").write_text(rules, encoding="utf-8")
    out = tmp_path / "out"
    reg = _registry(tmp_path, ledger)
    assert main(["batch", str(folder), str(reg), "--out", str(out), *engine]) == 0
    con = duckdb.connect()
    got = {
        (r[0], r[1]): r[2:]
        for r in con.execute(
            "SELECT provision, subject, status, amount_fen, amount_kind, binding_caps "
            f"FROM '{out}/decisions.parquet'"
        ).fetchall()
    }
    grants = con.execute(
        f"SELECT provision, firm, project, amount_fen FROM '{out}/grants.parquet' ORDER BY ALL"
    ).fetchall()
    return got, grants


def _one_by_one(rules: str, grants: list[tuple[str, ...]] = LEDGER) -> dict[tuple[str, str], Any]:
    policy = compile_text(rules)
    firms: dict[str, list[Any]] = {}
    for firm, pid, kind, equipment, total in PROJECTS:
        project = {"id": pid, "equipment_investment": equipment, "total_investment": total}
        project |= {"applied_on": "2026-04-01"} | ({"kind": kind} if kind else {})
        firms.setdefault(firm, []).append(project)
    facts = {"firms": [{"id": f, "projects": ps} for f, ps in firms.items()]}
    ledger = [{"provision": p, "firm": f, "project": j, "amount": a} for p, f, j, a in grants]
    result = policy.evaluate(facts, ledger=ledger)
    words = Words.of(policy.checked)
    return {
        (d.provision, d.subject): (
            d.status,
            d.amount.fen if d.amount is not None else None,
            d.amount_kind,
            [x for x in [exclusion_zh(words, d)] if x is not None],
        )
        for d in result.decisions
    }


def test_only_the_higher_claim_is_paid_on_duckdb(tmp_path: Path) -> None:
    got, grants = _run(tmp_path, RULES)
    assert {k: (*v[:3], list(v[3])) for k, v in got.items()} == WANT
    assert grants == GRANTS
    # the same, and the group's line in the words of the one-by-one Chinese text
    assert _one_by_one(RULES) == WANT


def test_only_the_higher_claim_is_paid_on_spark(tmp_path: Path, spark: Any) -> None:
    got, grants = _run(tmp_path, RULES, "--engine", "spark", "--master", "local[2]")
    assert {k: (*v[:3], list(v[3])) for k, v in got.items()} == WANT
    assert grants == GRANTS


def test_a_tie_without_a_tie_rule_is_unknown(tmp_path: Path) -> None:
    """Without ``ties by listed`` P3's equal 1000 万元 are a tie (E423): both unknown, no
    grant; the rest as before (P5's exclusion by the ledger too)."""
    rules = RULES.replace(" keep highest ties by listed", " keep highest")
    got, grants = _run(tmp_path, rules)
    head = "不重复支持（按照就高原则）："
    for mine, other in ((TWO, NAME_THREE), (THREE, NAME_TWO)):
        tie = f"与{other}金额相同（1000 万元（确定金额）），文本未规定如何取舍，待定（E423）"
        assert got[(mine, "0701/P3")] == ("unknown", None, None, [head + tie])
    assert got[(THREE, "0701/P1")][:3] == ("eligible", 1200 * WAN, "exact")
    assert got[(THREE, "0701/P5")][0] == "not_eligible"
    assert [g for g in grants if g[2] == "P3"] == []
    want = {k: v[:3] for k, v in WANT.items()}
    want |= {(TWO, "0701/P3"): ("unknown", None, None), (THREE, "0701/P3"): ("unknown", None, None)}
    assert {k: v[:3] for k, v in got.items()} == want
    assert {k: v[:3] for k, v in _one_by_one(rules).items()} == want


# Among the firm: firm 0701's claims of both awards compete, taken by award, then by project
# id (P1, P3, P4, P5: natural order), as one by one takes them; the earlier grant under 二
# (for P5) is firm 0701's: it excludes every claim of 三 for the firm (已获得…支持的不再支持).
FIRM_HEAD = HEAD
# P1 and P3 (eligible, exact) name each other: settled both, but P4 is open (for P4: P1)
AT_MOST = f"{NAME_TWO}为 1000 万元（确定金额），同组尚不能确定由哪一申请获得支持，本项金额只是上限"
OPEN = (
    f"{NAME_TWO}为 1000 万元（确定金额），本项尚未确定：本项金额高于该项时按本项支持，"
    "否则按该项支持"
)
BY_LEDGER = f"同一对象此前已按{NAME_TWO}获得 100 万元（确定金额），本项不再支持"
WANT_FIRM: dict[tuple[str, str], tuple[Any, ...]] = {
    # 二 20% × 5000 万元 = 1000 万元, P3's equal 1000 万元 (of 二 too: no tie rule between
    # two claims of one award) and P4's unknown may still win: at most, first open one named
    (TWO, "0701/P1"): ("eligible", 1000 * WAN, "up_to", [FIRM_HEAD + AT_MOST]),
    (TWO, "0701/P2"): ("not_eligible", None, None, []),  # a technical upgrade: not in play
    (TWO, "0701/P3"): ("eligible", 1000 * WAN, "up_to", [FIRM_HEAD + AT_MOST]),  # as P1
    # no kind: unknown, and P1's 1000 万元 may win over it
    (TWO, "0701/P4"): ("unknown", None, None, [FIRM_HEAD + OPEN]),
    # 20% × 1000 万元 = 200 万元 − 100 万元 granted = 100 万元, below P1's sure 1000 万元
    (TWO, "0701/P5"): (
        "not_eligible",
        None,
        None,
        [FIRM_HEAD + f"同一对象按{NAME_TWO}支持（1000 万元（确定金额）），本项不予支持"],
    ),
    **{
        (THREE, f"0701/P{n}"): ("not_eligible", None, None, [FIRM_HEAD + BY_LEDGER])
        for n in range(1, 6)
    },
    (TWO, "0702/P1"): ("not_eligible", None, None, []),
    # firm 0702: 三 10% × 2000 万元 = 200 万元, no rival
    (THREE, "0702/P1"): ("eligible", 200 * WAN, "exact", []),
}


def test_a_group_among_the_firm(tmp_path: Path) -> None:
    """Among the firm (同一企业不重复支持): the projects of a firm compete with each other and
    across the awards; nothing of 0701 is paid exactly (P1 and P3 may still lose to each other
    or to P4), and only 0702's 200 万元 is granted."""
    rules = RULES.replace("among project", "among firm")
    got, grants = _run(tmp_path, rules)
    assert {k: (*v[:3], list(v[3])) for k, v in got.items()} == WANT_FIRM
    assert grants == [(THREE, "0702", "P1", 200 * WAN)]
    assert _one_by_one(rules) == WANT_FIRM


def test_the_largest_earlier_grant_is_named() -> None:
    """Two earlier grants under 二 to firm 0701 (P5 100 万元, then P2 150 万元): each claim of
    三 for the firm is excluded naming the larger, 150 万元, whatever the ledger's order (one
    by one named the first listed; a registry's table has no order), as the batch does."""
    rules = RULES.replace("among project", "among firm")
    later = [*LEDGER, (TWO, "0701", "P2", "150万元")]
    said = f"同一对象此前已按{NAME_TWO}获得 150 万元（确定金额），本项不再支持"
    for grants in (later, later[::-1]):
        got = _one_by_one(rules, grants)
        assert {got[(THREE, f"0701/P{n}")][3][0] for n in range(1, 6)} == {FIRM_HEAD + said}


def test_the_largest_earlier_grant_is_named_by_the_batch(tmp_path: Path) -> None:
    """The batch names it too."""
    rules = RULES.replace("among project", "among firm")
    later = [*LEDGER, (TWO, "0701", "P2", "150万元")]
    got, _ = _run(tmp_path, rules, ledger=later)
    said = f"同一对象此前已按{NAME_TWO}获得 150 万元（确定金额），本项不再支持"
    assert {tuple(got[(THREE, f"0701/P{n}")][3]) for n in range(1, 6)} == {(FIRM_HEAD + said,)}


def test_a_group_among_the_firm_on_spark(tmp_path: Path, spark: Any) -> None:
    """The same on Spark."""
    rules = RULES.replace("among project", "among firm")
    got, grants = _run(tmp_path, rules, "--engine", "spark", "--master", "local[2]")
    assert {k: (*v[:3], list(v[3])) for k, v in got.items()} == WANT_FIRM
    assert grants == [(THREE, "0702", "P1", 200 * WAN)]


def test_a_group_among_an_owner_with_an_order_is_refused_by_name() -> None:
    """Among the firm, an award served in an `order by` order takes its claims in its keys'
    order: refused (E618) at the exclusive line, naming each award."""
    rules = RULES.replace("among project", "among firm").replace(
        "    cap 1500 万元 per project\n",
        "    cap 1500 万元 per project\n    cap 3000 万元 per firm\n    order by applied_on\n",
    )
    with pytest.raises(BatchCompileError) as info:
        compile_batch(compile_text(rules).checked)
    line = next(n for n, text in enumerate(rules.splitlines(), 1) if "exclusive" in text)
    found = [(d.code, d.message.split(":")[0], d.span) for d in info.value.diagnostics]
    assert [(code, pid, span.line if span else None) for code, pid, span in found] == [
        ("E618", TWO, line),
        ("E618", THREE, line),
    ]
    assert "among firm, an owner of its subject project" in info.value.diagnostics[0].message
    assert "served in an `order by` order" in info.value.diagnostics[0].message


# P5 paid under both awards of the group: 100 万元 under 二, 50 万元 under 三
BOTH = [*LEDGER, (THREE, "0701", "P5", "50万元")]


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_a_ledger_paying_two_awards_of_the_group_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, request: pytest.FixtureRequest
) -> None:
    """A registry's ledger paying project P5 under 二 and under 三 records a payment the text
    forbids (不重复支持): refused (E344), as the one-by-one reader refuses it, in its words, on
    DuckDB and on Spark; the batch once read both and left every claim of P5 unpaid, saying
    nothing."""
    from policyrules.errors import LedgerError

    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "t.rule").write_text(RULES, encoding="utf-8")
    reg = _registry(tmp_path, BOTH)
    on = ["--engine", "spark", "--master", "local[2]"] if engine == "spark" else []
    if engine == "spark":
        request.getfixturevalue("spark")  # the JVM, as the other Spark tests have it
    assert main(["batch", str(folder), str(reg), "--out", str(tmp_path / "out"), *on]) == 2
    err = capsys.readouterr().err
    ledger = [{"provision": p, "firm": f, "project": j, "amount": a} for p, f, j, a in BOTH]
    with pytest.raises(LedgerError) as info:
        compile_text(RULES).evaluate({"firms": [{"id": "0701"}]}, ledger=ledger)
    (d,) = info.value.diagnostics
    assert d.code == "E344"
    # the same words, but for where each grant is given (a ledger's index; a table's row)
    for words in (
        f"{THREE} to firm 0701, project P5 (",
        f"{TWO} and {THREE} are exclusive for each project (不重复支持, clause sq/二: 「",
        f"and project P5 was already paid by {TWO} to firm 0701, project P5 (",
    ):
        assert words in d.message
        assert words in err
    assert err.startswith("error[E344]: ")
    assert f"project P5 ({reg}" in err  # the registry's ledger table, by its rows
