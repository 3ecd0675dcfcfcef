"""W290 and W263 are said as the plain pairwise reading says them.

The checker keeps the earlier awards by kind (subject, bases, guards, document) and counts
the awards of a kind instead of comparing each pair, so that a policy of 1,700 awards paying
out of one fact is checked without 1.4 million comparisons.  The oracle below is the simple
quadratic reading it replaced, kept here: every earlier award compared with every later one
by :func:`~policyrules.check_exclusive.overlaps`.  On generated policies (awards of two
subjects, several bases and enum guards, three documents, one of which may prevail over
earlier rules or supersede another, ``exclusive`` and ``cumulative`` statements) both say
the same warnings in the same order.
"""

from __future__ import annotations

from itertools import combinations

import attrs
from hypothesis import given
from hypothesis import strategies as st

import policyrules
from policyrules.check import check_all
from policyrules.check_exclusive import bases, overlaps
from policyrules.check_prevails import prevails_warning
from policyrules.errors import Diagnostic, Span
from policyrules.model import CheckedPolicy, ProvisionInfo

ENTITIES = """
entity firm "企业"
  list firms
  fact rent: money
  fact cost: money
  fact invest: money
  fact kind: Kind
  fact size: Size

entity project "项目"
  list projects of firm
  fact spend: money
  fact stage: Stage

enum Kind "类" { a "甲", b "乙", c "丙" }
enum Size "规模" { big "大", small "小" }
enum Stage "阶段" { early "早", late "晚" }
"""

AMOUNTS = {
    "firm": ["10% of rent", "10% of cost", "10% of rent + 10% of cost", "1 万元", "5% of invest"],
    "project": ["10% of spend", "1 万元", "10% of spend + 10% of firm.rent"],
}
GUARDS = {
    "firm": [
        "",
        "kind = a",
        "kind = b",
        "kind in {a, b}",
        "size = big",
        "kind = c and size = small",
    ],
    "project": ["", "stage = early", "stage = late", "firm.kind = a"],
}

award = st.tuples(
    st.integers(0, 2),  # its document
    st.sampled_from(["firm", "project"]),
    st.integers(0, 4),  # its amount (taken modulo the subject's choices)
    st.integers(0, 5),  # its guard (likewise)
)


@st.composite
def policies(draw: st.DrawFn) -> dict[str, str]:
    """Three documents' files; awards a0, a1, … each in a clause of its own."""
    awards = draw(st.lists(award, min_size=2, max_size=24))
    headers = [
        'document d0 "旧"\n  issued 2023-01-01\n',
        'document d1 "中"\n' + draw(st.sampled_from(["", "  issued 2024-01-01\n"])),
        'document d2 "新"\n  issued 2025-01-01\n'
        + draw(st.sampled_from(["", "  prevails over earlier\n"]))
        + draw(st.sampled_from(["", "  supersedes d0\n", "  supersedes d0 1\n"])),
    ]
    bodies = ["", "", ""]
    for i, (doc, subject, amount, guard) in enumerate(awards):
        when = GUARDS[subject][guard % len(GUARDS[subject])]
        bodies[doc] += (
            f'\nclause {i + 1} "c"\n  quote "q"\n  award a{i}\n    for each {subject}\n'
            + (f"    eligible when {when}\n" if when else "")
            + f"    amount {AMOUNTS[subject][amount % len(AMOUNTS[subject])]}\n"
        )
    # exclusive and cumulative statements among awards of one subject (among firm: the
    # subject or its owner), in a clause of the last document
    statements = ""
    for subject in ("firm", "project"):
        names = [f"a{i}" for i, a in enumerate(awards) if a[1] == subject]
        if len(names) < 2:
            continue
        for word in ("exclusive", "cumulative"):
            listed = draw(st.lists(st.sampled_from(names), min_size=2, max_size=4, unique=True))
            if draw(st.booleans()):
                statements += (
                    f"  exclusive {', '.join(listed)} among firm keep highest\n"
                    if word == "exclusive"
                    else f'  cumulative {", ".join(listed)} "可叠加"\n'
                )
    if statements:
        bodies[2] += f'\nclause 100 "说明"\n  quote "q"\n{statements}'
    return {f"d{n}.rule": (ENTITIES if n == 0 else "") + headers[n] + bodies[n] for n in range(3)}


def _w290_then(
    unsaid: list[ProvisionInfo], q: ProvisionInfo, common: list[str], span: Span | None
) -> Diagnostic:
    """The quadratic version's W290: its first earlier award, how many more, three named."""
    p = unsaid[0]
    others = ""
    if len(unsaid) > 1:
        more = len(unsaid) - 1
        shown = ", ".join(o.name for o in unsaid[1:4]) + (", …" if more > 3 else "")
        others = f" (and {more} earlier award{'s' if more > 1 else ''} likewise: {shown})"
    return Diagnostic(
        "W290",
        f"{p.name} and {q.name} both pay for each {q.subject} out of {', '.join(common)}, "
        f"and no exclusive or cumulative statement is between them{others}",
        span,
        hint=(
            f"if the text says 不重复支持, write `exclusive {p.name}, {q.name} among "
            f"{q.subject} keep highest`; if it lets both be paid, `cumulative "
            f'{p.name}, {q.name} "the words that say so"`'
        ),
        severity="warning",
    )


def quadratic(checked: CheckedPolicy) -> list[Diagnostic]:
    """Every earlier award against every later one (the oracle).  The checker warns with
    the policy as it stands before its clauses are added (``clauses=()``), so, as there, a
    warning's span names no clause path."""
    provisions = [p for c in checked.clauses for p in c.provisions]
    found = checked.exclusivity
    policy = attrs.evolve(checked, clauses=())
    said = {frozenset(pair) for g in found.groups for pair in combinations(g.awards, 2)}
    said |= {frozenset(pair) for k in found.cumulative for pair in combinations(k.awards, 2)}
    out: list[Diagnostic] = []
    for i, q in enumerate(provisions):
        if q.kind != "award" or q.subject is None or found.superseded(q.document, q.clause):
            continue
        clause = policy.clause(q.clause)
        at = q.node.name_span or q.node.span
        span = at.with_clause(clause.path) if at and clause else at
        unsaid: list[ProvisionInfo] = []
        for p in provisions[:i]:
            if not overlaps(p, q, policy) or found.superseded(p.document, p.clause):
                continue
            if frozenset((p.id, q.id)) in said:
                continue
            common = sorted(bases(p, policy) & bases(q, policy))
            w = prevails_warning(policy, p, q, found.prevailing, common, span)
            if w is not None:
                out.append(w)
            else:
                unsaid.append(p)
        if unsaid:
            common = sorted(bases(unsaid[0], policy) & bases(q, policy))
            out.append(_w290_then(unsaid, q, common, span))
    return out


@given(policies())
def test_the_warnings_are_the_pairwise_ones(texts: dict[str, str]) -> None:
    modules = [policyrules.parse(text, name) for name, text in texts.items()]
    policy, found = check_all(modules, texts=texts, sources={})
    assert [d for d in found if d.code in ("W290", "W263")] == quadratic(policy)
