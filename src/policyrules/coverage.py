"""Coverage: what each measure of each document encodes and what it leaves open."""

from __future__ import annotations

from typing import Any

import attrs

from .model import CheckedPolicy, ClauseInfo
from .terminal import printable

__all__ = ["ClauseCoverage", "coverage", "coverage_json", "coverage_text"]


@attrs.frozen
class ClauseCoverage:
    """One measure: its kinds, its provisions, and its open points."""

    document: str
    label: str
    chapter: str | None
    title: str | None
    kinds: tuple[str, ...]
    provisions: tuple[str, ...]
    unset_parameters: tuple[str, ...]
    determinations: tuple[str, ...]
    decided: tuple[str, ...]
    assumptions: tuple[str, ...]
    twins: tuple[str, ...]
    agencies: tuple[str, ...]
    notes: int


def _row(policy: CheckedPolicy, c: ClauseInfo) -> ClauseCoverage:
    determinations = {
        f"{e.name}.{f.name}" for e in policy.entities for f in e.facts if f.determination
    }
    used = {
        f"{e.name}.{fact}"
        for p in c.provisions
        for e in policy.chain(p.subject)
        for fact in p.facts
        if e.fact(fact) is not None
    }
    params = {name for p in c.provisions for name in p.parameters}
    unset = sorted(n for n in params if (i := policy.parameter(n)) and i.default is None)
    return ClauseCoverage(
        document=c.document,
        label=c.label,
        chapter=c.chapter[0] if c.chapter else None,
        title=c.title,
        kinds=c.kinds,
        provisions=tuple(p.name for p in c.provisions),
        unset_parameters=tuple(unset),
        determinations=tuple(sorted(used & determinations)),
        decided=tuple(
            sorted(
                {p.decided.fact for p in c.provisions if p.decided}
                | {p.range.decided for p in c.provisions if p.range and p.range.decided}
            )
        ),
        assumptions=tuple(sorted({a for p in c.provisions for a in p.assumptions})),
        twins=policy.twins_of(c.id),
        agencies=c.agencies,
        notes=len(c.notes),
    )


def coverage(policy: CheckedPolicy) -> list[ClauseCoverage]:
    """One row per encoded measure, in document order."""
    return [_row(policy, c) for c in policy.clauses]


def _counts(policy: CheckedPolicy) -> list[tuple[str, int, int | None]]:
    out = []
    for d in policy.documents:
        n = sum(1 for c in policy.clauses if c.document == d.name)
        out.append((d.number or d.name, n, d.measures))
    return out


def coverage_text(policy: CheckedPolicy) -> str:
    """A table of every measure, then the totals per document; names and titles from the
    rule files are escaped (:func:`~policyrules.terminal.printable`)."""
    lines = []
    for r in coverage(policy):
        doc = policy.document(r.document)
        head = f"{doc.number if doc and doc.number else r.document} {r.label}"
        lines.append(f"{head:<24} {'+'.join(r.kinds):<28} {r.title or ''}")
        open_points = [
            *(f"unset parameter {p}" for p in r.unset_parameters),
            *(f"determination {d}" for d in r.determinations),
            *(f"decided amount {d}" for d in r.decided),
            *(f"assumption {a}" for a in r.assumptions),
            *(f"twin {t}" for t in r.twins),
        ]
        lines.extend(f"{'':<24} · {p}" for p in open_points)
    lines.append("")
    total = encoded = 0
    for number, n, expected in _counts(policy):
        lines.append(f"{number}: {n}/{expected if expected is not None else '?'} measures")
        encoded += n
        total += expected if expected is not None else n
    lines.append(f"total: {encoded}/{total} measures encoded")
    return "\n".join(printable(line) for line in lines) + "\n"


def coverage_json(policy: CheckedPolicy) -> dict[str, Any]:
    """The same as JSON-ready data."""
    return {
        "clauses": [attrs.asdict(r) for r in coverage(policy)],
        "documents": [
            {"document": number, "encoded": n, "measures": expected}
            for number, n, expected in _counts(policy)
        ],
    }
