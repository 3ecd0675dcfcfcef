"""The clause reference's content, independent of Sphinx: anchors, headings, worked cases
computed against the policy, and the index of facts.

:mod:`policyrules.sphinxext` turns these into pages; tests use them directly.

>>> anchor("jybf_2025_5", "(六)")
'jybf-2025-5-六'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import yaml

from .api import Policy, load
from .cases import WorkedCase, load_case_file, plain_case_file
from .cases_run import CaseRow, run_case
from .model import CheckedPolicy, ClauseInfo, ProvisionInfo
from .printer import print_expr
from .reading import NumeralDumper
from .vocab import heading_zh

__all__ = [
    "CaseRow",
    "FactRow",
    "WorkedCase",
    "anchor",
    "case_rows",
    "cases_by_clause",
    "clause_heading",
    "facts_index",
    "load_cases",
    "load_policy",
    "provision_lines",
]


def anchor(document: str, label: str) -> str:
    """The stable HTML anchor of a measure: the document name, then the bare label.

    >>> anchor("jjxf_2025_50", "3")
    'jjxf-2025-50-3'
    """
    bare = label.strip().strip("()（）").strip()
    return f"{document.replace('_', '-')}-{bare}"


def clause_heading(clause: ClauseInfo) -> str:
    """``第3条 创新产品上市奖励`` or ``（六）审评审批试点时限``, the label by
    :func:`~policyrules.vocab.heading_zh` with no number.

    >>> import policyrules
    >>> c = policyrules.load("policies/beijing_2025").checked.clause("jjxf_2025_50/3")
    >>> clause_heading(c)
    '第3条 创新产品上市奖励'
    """
    return heading_zh("", clause.label, clause.title)


def provision_lines(p: ProvisionInfo) -> dict[str, list[str]]:
    """A provision's caps, deadlines and targets as canonical ``.rule`` text, by role."""
    caps = []
    for c in p.caps:
        line = f"cap {print_expr(c.limit)}" + "".join(f" per {e}" for e in c.per)
        line += f" per year of {print_expr(c.year_of)}" if c.year_of is not None else ""
        line += f" shared {c.shared}" if c.shared else ""
        caps.append(line)
    caps += [f"once per {o.entity}" for o in p.once]
    deadlines = []
    if p.due is not None:
        deadlines.append(f"due {print_expr(p.due.period)} after {print_expr(p.due.start)}")
    if p.done is not None:
        deadlines.append(f"done {print_expr(p.done.date)}")
    targets = [f"require {print_expr(p.require.condition)}"] if p.require is not None else []
    return {"caps": caps, "deadlines": deadlines, "targets": targets}


def load_cases(directory: str | Path) -> list[WorkedCase]:
    """Every case of every ``*.yaml`` file in ``directory``, in file order.

    Raises :class:`~policyrules.errors.FactsError` E255 for an entry that is not a regular
    file inside ``directory`` (a FIFO, or a symlink whose target an error would show), and
    :class:`~policyrules.cases.CaseFileError` (E700-E707) for a malformed case file."""
    out: list[WorkedCase] = []
    for path in sorted(Path(directory).glob("*.yaml")):
        plain_case_file(path, Path(directory))
        out.extend(load_case_file(path).cases)
    return out


def cases_by_clause(cases: Iterable[WorkedCase]) -> dict[str, list[WorkedCase]]:
    """The cases that assert something about each clause id."""
    out: dict[str, list[WorkedCase]] = {}
    for case in cases:
        for clause_id in case.clauses():
            out.setdefault(clause_id, []).append(case)
    return out


def case_rows(policy: Policy, case: WorkedCase, clause_id: str | None = None) -> list[CaseRow]:
    """Evaluate the case's facts with the policy and compare with what it expects.

    Only the expectations about ``clause_id`` when given.  An evaluation error is one failed
    row, so the caller can report it as a warning.

    >>> import policyrules
    >>> policy = policyrules.load("policies/beijing_2025")
    >>> case = load_cases("policies/beijing_2025/cases")[0]
    >>> [(r.field, r.expected, r.computed, r.ok) for r in case_rows(policy, case)][:2]
    [('status', 'eligible', 'eligible', True), ('amount', '80 万元', '80 万元', True)]
    """
    try:
        result = run_case(policy, case, clause_id)
    except Exception as exc:  # any error of evaluation is a failed case, shown in the table
        return [CaseRow("—", None, "evaluation", "a result", f"error: {exc}", False)]
    if result.error is not None:
        return [CaseRow("—", None, "evaluation", "a result", f"error: {result.error}", False)]
    return list(result.rows)


@attrs.frozen
class FactRow:
    """One input fact: where it sits, its type, and the clauses that read it."""

    entity: str
    entity_title: str | None
    fact: str
    type: str
    title: str | None
    determination: bool
    clauses: tuple[str, ...]


def facts_index(policy: CheckedPolicy) -> list[FactRow]:
    """Every declared fact, by entity, with the clause ids whose provisions read it."""
    users: dict[tuple[str, str], list[str]] = {}
    for c in policy.clauses:
        for p in c.provisions:
            for fact in p.facts:
                for e in policy.chain(p.subject):
                    if e.fact(fact) is not None:
                        ids = users.setdefault((e.name, fact), [])
                        if c.id not in ids:
                            ids.append(c.id)
                        break
    return [
        FactRow(
            e.name,
            e.title,
            f.name,
            f.type.describe(),
            f.title,
            f.determination,
            tuple(users.get((e.name, f.name), ())),
        )
        for e in policy.entities
        for f in e.facts
    ]


def _plain(value: Any) -> Any:
    """Facts as plain YAML-ready data (exact decimals shown as written)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value


def facts_yaml(facts: Any) -> str:
    """A case's facts as compact YAML, for display."""
    text = yaml.dump(
        _plain(facts),
        Dumper=NumeralDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=100,
    )
    return str(text)


_POLICIES: dict[str, Policy] = {}


def load_policy(path: Path) -> Policy:
    """Load (once per build process) the policy at ``path``."""
    key = str(path.resolve())
    if key not in _POLICIES:
        _POLICIES[key] = load(path)
    return _POLICIES[key]
