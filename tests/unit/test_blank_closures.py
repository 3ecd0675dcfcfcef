"""A closure's value for a subject lacking every fact it reads, found once an evaluation
(backends/python/blank.py): the facts an expression can read (codegen.fact_reads), and
the evaluation's memo, which a subject with one of them given does not use."""

from __future__ import annotations

from typing import Any

from tests.strategies import compile_text

from policyrules.backends.python.blank import closure_value, conditions_once, lacks_all
from policyrules.backends.python.codegen import fact_reads
from policyrules.exprs import Env
from policyrules.instances import Instance

TEXT = """entity firm "企业"
  list firms
  fact region: text
entity project "项目"
  list projects of firm
  fact ok: bool
  fact seen: bool
  fact base: money

document d "测试"

define fine "合格" = ok or seen

clause 1
  quote "q"

  award a
    for each project
    eligible when fine and region = "甲"
    eligible when id = "P1"
    amount base
    cap 100 元 per firm
"""


def _conditions() -> tuple[Any, list[Any]]:
    policy = compile_text(TEXT)
    [cp] = [cp for cp in policy.compiled.provisions if cp.info.id.endswith("/a")]
    return policy, [line.condition for line in cp.info.eligible]


def test_fact_reads_through_defines_and_owners() -> None:
    policy, (first, second) = _conditions()
    reads = fact_reads(first, policy.checked, "project")
    # `fine` opened (ok, seen: the project's), and the firm's region.
    assert sorted(reads or ()) == [
        ("firm", "region", "firm.region"),
        ("project", "ok", "project.ok"),
        ("project", "seen", "project.seen"),
    ]
    # The subject's id is always given: never all absent.
    assert fact_reads(second, policy.checked, "project") is None


def test_a_blank_subject_is_computed_once_and_a_given_fact_is_not_blank() -> None:
    policy, _ = _conditions()
    [cp] = [cp for cp in policy.compiled.provisions if cp.info.id.endswith("/a")]
    fp = policy.compiled.fast[cp.info.id]
    # Per conjunct: `fine` (ok or seen), region = "甲", id = "P1" (the id: None).
    assert [sorted(r) if r is not None else None for r in fp.condition_facts] == [
        [("project", "ok", "project.ok"), ("project", "seen", "project.seen")],
        [("firm", "region", "firm.region")],
        None,
    ]
    reads = fp.condition_facts[0]
    assert reads is not None
    projects = [{"id": "P1"}, {"id": "P2"}, {"id": "P3", "ok": True}, {"id": "P4", "ok": False}]
    facts = policy.read_facts({"firms": [{"id": "f", "projects": projects}]})
    p1, p2, p3, p4 = facts.instances["project"]
    assert [lacks_all(reads, p) for p in (p1, p2, p3, p4)] == [True, True, False, False]
    calls: list[Instance | None] = []

    def env_of(_: Any, inst: Instance | None) -> Env:
        calls.append(inst)
        return Env(inst.chain() if inst else {}, {}, {}, None)

    memo: dict[Any, Any] = {}
    fn = cp.conditions[0].fn
    values = [
        closure_value(memo, env_of, cp, i, ("c", 0), fn, reads, set()) for i in (p1, p2, p3, p4)
    ]
    # P1 computed (and kept), P2 read from the memo, P3 and P4 (ok given) computed: ok or
    # seen is unknown for the blank ones (both missing), true for P3 (true or unknown),
    # unknown for P4, needing only seen (false or unknown).
    assert calls == [p1, p3, p4]
    assert values[0] is values[1]
    assert sorted(values[0].missing) == ["project.ok", "project.seen"]
    assert values[2] is True
    assert sorted(values[3].missing) == ["project.seen"]


def test_conditions_for_blank_subjects_found_once_with_their_assumptions() -> None:
    # `a` reads the project's ok and seen and the firm's region in its first two conjuncts,
    # and the id in the third: its conditions together have no blank subject (None).
    policy, _ = _conditions()
    assert policy.compiled.fast[next(iter(policy.compiled.fast))].conditions_facts is None
    # `b`: every condition reads facts only (ok, and the assumption `strict` in an `if`).
    text = TEXT.replace(
        'document d "测试"', 'assumption strict: bool = true "从严"\n\ndocument d "测试"'
    )
    text += """
  award b
    for each project
    eligible when if strict then ok else seen
    amount base
"""
    policy = compile_text(text)
    [cp] = [cp for cp in policy.compiled.provisions if cp.info.id.endswith("/b")]
    fp = policy.compiled.fast[cp.info.id]
    assert sorted(fp.conditions_facts or ()) == [
        ("project", "ok", "project.ok"),
        ("project", "seen", "project.seen"),
    ]
    projects = [{"id": "P1"}, {"id": "P2"}, {"id": "P3", "ok": True}]
    p1, p2, p3 = policy.read_facts({"firms": [{"id": "f", "projects": projects}]}).instances[
        "project"
    ]
    calls: list[str] = []

    def compute(fp: Any, cp: Any, inst: Instance, used: set[str]) -> tuple[bool, str]:
        calls.append(inst.id)
        used.add("strict")
        return False, inst.id

    memo: dict[str, Any] = {}
    said: list[set[str]] = [set(), set(), set()]
    got = [
        conditions_once(memo, fp, cp, i, u, compute)
        for i, u in zip((p1, p2, p3), said, strict=True)
    ]
    # P1 computed and kept, P2 (as blank) given P1's outcome and assumptions, P3 (ok given)
    # computed.
    assert calls == ["P1", "P3"]
    assert got == [(False, "P1"), (False, "P1"), (False, "P3")]
    assert said == [{"strict"}, {"strict"}, {"strict"}]
