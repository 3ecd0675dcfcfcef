"""Supersession (以此为准) in the SQL batch (issue 11 §6): the guide's two documents, where
patterns_excl_2025 supersedes 第二条 of patterns_excl_2023 (智能化改造奖励 smart_retrofit) from
its first day, 2025-01-01.  The batch decides it by its ``as_of`` as ``policy.evaluate``
does: in force before that day, not eligible from it, unknown with no day (E424); a
superseded award leaves its exclusive group (2023 第二条: it and 技术改造补助 retrofit_grant,
就高 ties by listed; 2025 第二条: smart_retrofit_2025 and retrofit_grant, 就高).  The amounts
are worked by hand below, the one-by-one path gives the same (checked too); the equivalence
property: tests/property/test_batch_equivalence_props.py."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

import attrs
import pytest

import policyrules
from policyrules.backends.sql import BatchCompileError, compile_batch
from policyrules.backends.sql import duckdb as engine
from policyrules.batch_columns import decisions_sql
from policyrules.explain_exclusive import exclusion_zh
from policyrules.words import Words

PATTERNS = Path(__file__).resolve().parents[2] / "policies" / "patterns"
OLD = "patterns_excl_2023/2/smart_retrofit"
GRANT = "patterns_excl_2023/1/retrofit_grant"
NEW = "patterns_excl_2025/一/smart_retrofit_2025"
WAN = 10**6  # fen in 1 万元

# the names the Chinese texts give them (the documents' number, clause, title)
N_OLD = "示例（2023年办法，非真实文件） 第2条“智能化改造奖励”"
N_GRANT = "示例（2023年办法，非真实文件） 第1条“技术改造补助”"
N_NEW = "示例（2025年措施，非真实文件） 第一条“智能化改造奖励（2025年）”"
LATER = "《示例：2025年推动智能化改造若干措施（为指南编写，非真实文件）》"
GONE = f"以此为准：本条自2025年1月1日起由{LATER}替代"
HIGH = "不重复支持（按照就高原则）："
HIGH_LISTED = "不重复支持（按照就高原则，金额相同的按排列在前的一项）："


@functools.cache
def _policy() -> tuple[policyrules.Policy, Any]:
    policy = policyrules.load(PATTERNS)
    mine = tuple(c for c in policy.checked.clauses if c.document.startswith("patterns_excl"))
    return policy, attrs.evolve(policy.checked, clauses=mine)


def _facts(recognised_on: str) -> dict[str, Any]:
    # one project: 1000 万元 of retrofit equipment, a recognised smart retrofit
    project = {
        "id": "P1",
        "retrofit_equipment": "1000万元",
        "smart_recognised": True,
        "smart_recognised_on": recognised_on,
    }
    return {"firms": [{"id": "f1", "projects": [project]}]}


def _both(raw: dict[str, Any], as_of: dt.date | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(provision, status, amount in fen, kind, binding_caps) of the three awards, by the
    batch compiled for ``as_of`` and one by one on the same day."""
    policy, part = _policy()
    facts = policy.read_facts(raw)
    con = engine.connect()
    engine.load_facts(con, part, facts, [])
    engine.run_plan(con, compile_batch(part, as_of=as_of))
    named = decisions_sql(Words.of(part), "decisions")
    got = {
        r[0]: r[1:]
        for r in con.execute(
            f"SELECT provision, status, amount_fen, amount_kind, binding_caps FROM ({named})"
        ).fetchall()
        if r[0] in (OLD, GRANT, NEW)
    }
    words = Words.of(policy.checked)
    want = {
        d.provision: (
            d.status,
            d.amount.fen if d.amount is not None else None,
            d.amount_kind,
            [x for x in [exclusion_zh(words, d)] if x is not None],
        )
        for d in policy.evaluate(raw, as_of=as_of).decisions
        if d.provision in (OLD, GRANT, NEW)
    }
    return got, want


def test_before_the_later_document_the_old_award_competes() -> None:
    """As of 2024-12-31 (recognised 2024-06-01): 2023 第二条 15% × 1000 万元 = 150 万元 (under
    300 万元) beats 第一条's 10% × 1000 万元 = 100 万元 (under 500 万元): paid; the grant is
    not; 2025 第一条 is not eligible (recognised before it was in force)."""
    got, want = _both(_facts("2024-06-01"), dt.date(2024, 12, 31))
    assert got == {
        OLD: (
            "eligible",
            150 * WAN,
            "exact",
            [f"{HIGH_LISTED}本项支持金额不低于{N_GRANT}（100 万元（确定金额）），按本项支持"],
        ),
        GRANT: (
            "not_eligible",
            None,
            None,
            [f"{HIGH_LISTED}同一对象按{N_OLD}支持（150 万元（确定金额）），本项不予支持"],
        ),
        NEW: ("not_eligible", None, None, []),
    }
    assert {k: (*v[:3], list(v[3])) for k, v in got.items()} == want


def test_from_its_first_day_the_old_award_is_not_paid() -> None:
    """As of 2025-06-30 (recognised 2025-03-01): 2023 第二条 is superseded, not eligible, out
    of its group; 2025 第一条 20% × 1000 万元 = 200 万元 (under 400 万元) beats the grant's
    100 万元 (就高, no tie rule needed)."""
    got, want = _both(_facts("2025-03-01"), dt.date(2025, 6, 30))
    assert got == {
        OLD: ("not_eligible", None, None, [f"{GONE}，不再执行"]),
        GRANT: (
            "not_eligible",
            None,
            None,
            [f"{HIGH}同一对象按{N_NEW}支持（200 万元（确定金额）），本项不予支持"],
        ),
        NEW: (
            "eligible",
            200 * WAN,
            "exact",
            [f"{HIGH}本项支持金额不低于{N_GRANT}（100 万元（确定金额）），按本项支持"],
        ),
    }
    assert {k: (*v[:3], list(v[3])) for k, v in got.items()} == want


def test_with_no_day_it_is_unknown() -> None:
    """No as_of: 2023 第二条 is unknown (E424), and may still be paid: in its group the
    grant's 100 万元 would be at most; but 2025 第一条's 200 万元 beats it in the other group
    (not paid is the stronger verdict), and is paid."""
    got, want = _both(_facts("2025-03-01"), None)
    assert got == {
        OLD: ("unknown", None, None, [f"{GONE}；评估日期未给出，无法判断是否仍适用（E424）"]),
        GRANT: (
            "not_eligible",
            None,
            None,
            [f"{HIGH}同一对象按{N_NEW}支持（200 万元（确定金额）），本项不予支持"],
        ),
        NEW: (
            "eligible",
            200 * WAN,
            "exact",
            [f"{HIGH}本项支持金额不低于{N_GRANT}（100 万元（确定金额）），按本项支持"],
        ),
    }
    assert {k: (*v[:3], list(v[3])) for k, v in got.items()} == want


def test_a_superseded_entitlement_is_still_refused(tmp_path: Path) -> None:
    """Only awards are compiled so: an entitlement a later document supersedes is refused
    (E618) at the supersedes line, naming it, in the words it had."""
    (tmp_path / "a.rule").write_text(
        'entity firm\n  list firms\n  fact ok: bool\n\ndocument a "前"\n  issued 2024-01-01\n\n'
        'clause 1 "一"\n  quote "q"\n\n  entitlement e "E"\n    quote "q"\n    for each firm\n'
        '    eligible when ok\n    consequence "可以申请"\n',
        encoding="utf-8",
    )
    (tmp_path / "b.rule").write_text(
        'document b "后"\n  issued 2025-01-01\n  supersedes a\n', encoding="utf-8"
    )
    with pytest.raises(BatchCompileError) as info:
        compile_batch(policyrules.load(tmp_path).checked, as_of=dt.date(2025, 6, 1))
    (d,) = info.value.diagnostics
    assert (d.code, d.span.line if d.span else None) == ("E618", 3)
    assert d.message == (
        "a/1/e: superseded by b from 2025-01-01: the supersession cannot be compiled to SQL yet"
    )
