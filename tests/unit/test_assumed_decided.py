"""A decision lists only the assumptions of the operands it rests on (docs/language.md,
"Which assumptions a decision lists"): ``a and b`` refused by ``a`` does not list an
assumption read in ``b``; ``a or b`` granted by ``b`` does not list one read in ``a``.  The
same on every path: the general way (explanations), the generated code and its fused and
lean forms (none), and the DuckDB batch's ``assumptions`` column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.strategies import compile_text

import policyrules
from policyrules.api import Policy
from policyrules.backends.sql import compile_batch
from policyrules.backends.sql import duckdb as engine
from policyrules.explain_zh import decision_text_zh

ROOT = Path(__file__).resolve().parents[2]

TEXT = """entity firm "企业"
  list firms
  fact a: bool "已取得甲资质"
  fact b: bool "已取得乙资质"
  fact c: bool "已取得丙资质"
  fact granted: money "决定金额"

assumption strict: bool = true "“乙资质”是否必需未说明；默认必需。"

document d "测试"

clause 1
  quote "对符合条件的企业给予奖励。"

  award lined "奖励"
    for each firm
    eligible when a and (if strict then b else true)
    amount decided granted

  award nested "嵌套"
    for each firm
    eligible when a and (if strict then b else true) or c
    amount decided granted
"""

# a, b, c of each firm (None: not given)
FIRMS = {
    "F1": (False, True, False),  # refused by a
    "F2": (True, True, False),  # a and b hold
    "F3": (None, None, False),  # a and b unknown
    "F4": (True, False, True),  # refused by b (lined); granted by c (nested)
    "F5": (False, None, False),  # refused by a, b unknown
    "F6": (None, False, False),  # refused by b, a unknown
}


@pytest.fixture(scope="module")
def policy() -> Policy:
    return compile_text(TEXT)


def _facts() -> dict[str, Any]:
    firms = []
    for firm, values in FIRMS.items():
        given = {k: v for k, v in zip("abc", values, strict=True) if v is not None}
        firms.append({"id": firm, **given, "granted": "10 万元"})
    return {"firms": firms}


def _listed(policy: Policy) -> dict[tuple[str, str], list[str]]:
    """The assumptions each decision lists, by (award, firm), asserted alike on the general
    way, without explanations (generated code) and in the DuckDB batch."""
    facts = policy.read_facts(_facts())
    ways = []
    for explain in (True, False):
        decisions = policy.evaluate(facts, explain=explain).decisions
        ways.append(
            {
                (d.provision.rsplit("/", 1)[-1], d.subject): [a for a, _ in d.assumptions]
                for d in decisions
            }
        )
    con = engine.connect()
    engine.load_facts(con, policy.checked, facts, policy.read_ledger([]))
    engine.run_plan(con, compile_batch(policy.checked))
    rows = con.execute("SELECT provision, subject, assumptions FROM decisions").fetchall()
    ways.append({(p.rsplit("/", 1)[-1], s): list(a) for p, s, a in rows})
    assert ways[0] == ways[1] == ways[2]
    return ways[0]


def test_and_refused_by_its_left_side_lists_not_the_rights_assumption(policy: Policy) -> None:
    """``a`` false decides ``a and (if strict …)``: ``strict``, read on the right, is not
    listed (F1; F5, whose ``b`` is not given, alike)."""
    listed = _listed(policy)
    assert listed[("lined", "F1")] == []
    assert listed[("lined", "F5")] == []


def test_and_held_or_refused_by_the_right_lists_it(policy: Policy) -> None:
    """``a`` true: the right side counts, held (F2, eligible) or refused (F4, F6: ``b``
    false decides, ``a`` true or unknown)."""
    listed = _listed(policy)
    assert listed[("lined", "F2")] == ["strict"]
    assert listed[("lined", "F4")] == ["strict"]
    assert listed[("lined", "F6")] == ["strict"]


def test_and_unknown_lists_both_sides(policy: Policy) -> None:
    """Neither side given: unknown, waiting on both, so both sides' assumptions."""
    assert _listed(policy)[("lined", "F3")] == ["strict"]


def test_or_granted_by_one_side_lists_that_sides_only(policy: Policy) -> None:
    """``(a and (if strict …)) or c``: ``c`` true grants F4 alone (its left side false,
    by ``b``): ``strict`` is not listed.  F2 is granted by the left: listed.  F1 is
    refused by both sides (``or`` false: both count), the left by ``a`` alone: none."""
    listed = _listed(policy)
    assert listed[("nested", "F4")] == []
    assert listed[("nested", "F2")] == ["strict"]
    assert listed[("nested", "F1")] == []
    assert listed[("nested", "F3")] == ["strict"]


def test_missing_facts_follow_the_same_rule(policy: Policy) -> None:
    """A false side settles the claim: F5 (``b`` not given, ``a`` false) and F6 (``a`` not
    given, ``b`` false) miss nothing; F3 waits on both."""
    facts = policy.read_facts(_facts())
    missing = {
        d.subject: d.missing_facts
        for d in policy.evaluate(facts).decisions
        if d.provision.endswith("/lined")
    }
    assert (missing["F5"], missing["F6"]) == ((), ())
    assert missing["F3"] == ("firm.a", "firm.b")


def test_the_chinese_decision_says_only_what_decided(policy: Policy) -> None:
    """F4 granted by ``c``: its Chinese text has no 采用的假设 line (the assumption was read
    only on the side that did not decide); F2, granted by the left side, has it.  The
    facts' line 所依据的情况 lists the facts read, the assumption's words apart."""
    result = policy.evaluate(policy.read_facts(_facts()))
    words = policy.words
    text = {
        d.subject: decision_text_zh(d, words)
        for d in result.decisions
        if d.provision.endswith("/nested") and d.status == "eligible"
    }
    assert (
        "  所依据的情况：已取得甲资质：是；已取得乙资质：否；已取得丙资质：是；决定金额：10 万元"
        in (text["F4"])
    )
    assert "采用的假设" not in text["F4"]
    assert "“乙资质”是否必需未说明" not in text["F4"]
    assert "  采用的假设：“乙资质”是否必需未说明：是" in text["F2"]


def test_a_shipped_product_refused_by_its_route_lists_no_start() -> None:
    """京经信发〔2025〕50号 第3条: a product with no launch route and no other national
    project is refused by its first condition; the second (``approved_on in force``) reads
    the assumption device_events_from, which did not decide: not listed, on either path."""
    shipped = policyrules.load(ROOT / "policies" / "beijing_2025")
    product = {
        "id": "P1",
        "approved_on": "2026-03-02",
        "launch_routes": [],
        "other_national_project": False,
        "launch_reward_decided": "100 万元",
    }
    facts = {"firms": [{"id": "f1", "products": [product]}]}
    for explain in (True, False):
        (d,) = [
            d
            for d in shipped.evaluate(facts, explain=explain).decisions
            if d.provision == "jjxf_2025_50/3/launch_reward"
        ]
        assert d.status == "not_eligible"
        assert "device_events_from" not in dict(d.assumptions)
