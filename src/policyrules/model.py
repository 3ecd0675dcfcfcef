"""The checked policy: documents, clauses, provisions and symbol tables, names resolved.

What :func:`policyrules.check.check` returns, and what both back ends consume:
:func:`policyrules.backends.python.compile.compile_policy` and
:func:`policyrules.backends.sql.compile_batch`.  Names resolve the same way in every stage
through :meth:`CheckedPolicy.resolve`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from . import syntax as s
from .errors import Diagnostic, Span
from .model_exclusive import Exclusivity
from .runtime.values import format_value
from .types import Type

__all__ = [
    "AssumptionInfo",
    "CheckedPolicy",
    "ClauseInfo",
    "DefineInfo",
    "DocumentInfo",
    "EntityInfo",
    "EnumInfo",
    "FactInfo",
    "ParameterInfo",
    "ProvisionInfo",
    "Resolved",
    "TableInfo",
    "TierRow",
    "tier_of",
]


@attrs.frozen
class FactInfo:
    """An input fact of an entity: its type and what it means."""

    name: str
    entity: str
    type: Type
    title: str | None
    span: Span | None = attrs.field(default=None, eq=False)

    @property
    def determination(self) -> bool:
        """True when an agency decides it (符合条件的, 经认定的)."""
        return self.type.determination


@attrs.frozen
class EntityInfo:
    """A kind of thing facts are about: a firm, a product, a project."""

    name: str
    title: str | None
    key: str
    parent: str | None
    single: bool
    facts: tuple[FactInfo, ...]
    span: Span | None = attrs.field(default=None, eq=False)

    def fact(self, name: str) -> FactInfo | None:
        return next((f for f in self.facts if f.name == name), None)


@attrs.frozen
class EnumInfo:
    name: str
    title: str | None
    members: tuple[tuple[str, str | None], ...]

    @property
    def member_names(self) -> tuple[str, ...]:
        return tuple(m for m, _ in self.members)


@attrs.frozen
class ParameterInfo:
    """A value the text leaves open (一定比例, 分级分档): unset unless a default is given."""

    name: str
    type: Type
    default: s.Expr | None
    title: str | None
    clause: str | None
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class AssumptionInfo:
    """A reading the text leaves open, with its default and the reason for it."""

    name: str
    type: Type
    default: s.Expr
    rationale: str
    clause: str | None
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class DefineInfo:
    """``define NAME ["title"] = EXPR``: a condition or amount written once, used by name.

    Its names resolve where it is used (the facts of that provision's subject); ``clause``
    is where it is written (``None`` at the top of a file)."""

    name: str
    title: str | None
    expr: s.Expr
    clause: str | None
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class TierRow:
    """One row of a tier table: its key (a threshold, or an enum member's name) and value,
    both computed, and the key as the author wrote it (``5 亿元``), for explanations."""

    key: Any
    value: Any
    text: str
    rate: bool = attrs.field(default=False, eq=False)  # the value is a rate (shown as 10%)

    def __str__(self) -> str:
        """``5 亿元: 200 万元`` — as an explanation shows a table given as a parameter."""
        return f"{self.text}: {format_value(self.value, rate=self.rate)}"


@attrs.frozen
class TableInfo:
    """A tier table (首次突破…分别给予…): rows in ascending order of their thresholds, or one
    per enum member (``enum`` true); ``at`` finds the row of a key."""

    name: str
    title: str | None
    key: Type
    value: Type
    rows: tuple[TierRow, ...]
    clause: str | None
    span: Span | None = attrs.field(default=None, eq=False)

    @property
    def enum(self) -> bool:
        return self.key.kind == "enum"


def tier_of(rows: tuple[TierRow, ...], key: object, by_member: bool) -> int | None:
    """The index of the row ``key`` falls in: the member's row, or the highest threshold
    not above ``key`` (首次突破 X: X itself reaches the tier); None below the first one.

    >>> rows = (TierRow(100, "a", "100"), TierRow(500, "b", "500"))
    >>> tier_of(rows, 99, False), tier_of(rows, 100, False), tier_of(rows, 501, False)
    (None, 0, 1)
    """
    if by_member:
        return next((i for i, r in enumerate(rows) if r.key == key), None)
    found = None
    for i, r in enumerate(rows):
        if r.key <= key:
            found = i
    return found


@attrs.frozen
class DocumentInfo:
    name: str
    title: str
    number: str | None
    agencies: tuple[str, ...]
    issued: dt.date | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    source: str | None
    notes: tuple[str, ...]
    file: str
    events_from: str | None = None  # a date assumption: the earliest event `in force` accepts
    measures: int | None = None  # how many measures the text has, for coverage


@attrs.frozen
class ProvisionInfo:
    """One provision of a clause, with its statements sorted by role.

    Every statement that changes what it decides is a field (``tiers``, ``quota``,
    ``limit``, ``schedule`` too), so that two policies differing only in one compare (and
    hash) unequal; ``node`` is the statement as written, kept for its spans and printing.
    """

    id: str
    kind: str
    name: str
    title: str | None
    document: str
    clause: str
    subject: str | None
    quote: str | None
    notes: tuple[str, ...]
    eligible: tuple[s.Eligible, ...]
    amount: s.Amount | None
    decided: s.AmountDecided | None
    caps: tuple[s.Cap, ...]
    once: tuple[s.Once, ...]
    order: tuple[s.Expr, ...]
    due: s.Due | None
    done: s.Done | None
    require: s.Require | None
    consequence: str | None
    facts: tuple[str, ...]
    parameters: tuple[str, ...]
    assumptions: tuple[str, ...]
    node: s.Provision = attrs.field(eq=False, repr=False)
    range: s.AmountRange | None = None
    minimum: s.AmountMinimum | None = None
    rounding: s.Rounding | None = None
    # 鼓励…: a deadline or target the document encourages, not requires (`encouraged`)
    encouraged: bool = False
    tiers: s.Tiers | None = None
    quota: s.Quota | None = None
    limit: s.Limit | None = None
    schedule: s.Schedule | None = None

    @property
    def bounded(self) -> bool:
        """Whether its amount is a range, has a minimum or a declared rounding: evaluated
        the general way only (:mod:`policyrules.backends.python.amounts`)."""
        return self.range is not None or self.minimum is not None or self.rounding is not None

    @property
    def limited(self) -> bool:
        """Whether it limits how many subjects it pays per owner (``limit N per E``):
        evaluated the general way only (:mod:`policyrules.backends.python.limits`)."""
        return self.limit is not None


@attrs.frozen
class ClauseInfo:
    """A clause (a measure) of a document."""

    id: str
    document: str
    label: str
    title: str | None
    chapter: tuple[str, str] | None
    quote: str | None
    notes: tuple[str, ...]
    parameters: tuple[str, ...]
    assumptions: tuple[str, ...]
    provisions: tuple[ProvisionInfo, ...]
    path: tuple[str, ...]
    span: Span | None = attrs.field(default=None, eq=False)
    node: s.Clause | None = attrs.field(default=None, eq=False, repr=False)
    agencies: tuple[str, ...] = ()
    twins: tuple[str, ...] = ()

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of its provisions, in order; a clause with none is a declaration."""
        kinds = tuple(dict.fromkeys(p.kind for p in self.provisions))
        return kinds or ("declaration",)


@attrs.frozen
class Resolved:
    """What a name refers to: ``kind`` is fact, parameter, assumption, define, member or
    document."""

    kind: str
    type: Type
    name: str
    entity: str | None = None
    member: str | None = None


@attrs.frozen
class CheckedPolicy:
    """A policy whose names, types and units are known to be right."""

    documents: tuple[DocumentInfo, ...]
    entities: tuple[EntityInfo, ...]
    enums: tuple[EnumInfo, ...]
    parameters: tuple[ParameterInfo, ...]
    assumptions: tuple[AssumptionInfo, ...]
    clauses: tuple[ClauseInfo, ...]
    defines: tuple[DefineInfo, ...] = ()
    sources: dict[str, str] = attrs.field(factory=dict, eq=False, repr=False)
    modules: dict[str, s.Module] = attrs.field(factory=dict, eq=False, repr=False)
    tables: tuple[TableInfo, ...] = ()
    # 不重复支持 / 可叠加 / 以此为准 (issue 11 §6), and the checker's warnings (check_exclusive)
    exclusivity: Exclusivity = attrs.field(factory=Exclusivity)
    warnings: tuple[Diagnostic, ...] = attrs.field(default=(), eq=False, repr=False)

    def table(self, name: str) -> TableInfo | None:
        return next((t for t in self.tables if t.name == name), None)

    def entity(self, name: str) -> EntityInfo | None:
        return next((e for e in self.entities if e.name == name), None)

    def enum(self, name: str) -> EnumInfo | None:
        return next((e for e in self.enums if e.name == name), None)

    def document(self, name: str) -> DocumentInfo | None:
        return next((d for d in self.documents if d.name == name), None)

    def parameter(self, name: str) -> ParameterInfo | None:
        return next((p for p in self.parameters if p.name == name), None)

    def assumption(self, name: str) -> AssumptionInfo | None:
        return next((a for a in self.assumptions if a.name == name), None)

    def define(self, name: str) -> DefineInfo | None:
        return next((d for d in self.defines if d.name == name), None)

    def clause(self, clause_id: str) -> ClauseInfo | None:
        return next((c for c in self.clauses if c.id == clause_id), None)

    def twins_of(self, clause_id: str) -> tuple[str, ...]:
        """The clauses that state the same rule, declared on either side."""
        found = [t for c in self.clauses if c.id == clause_id for t in c.twins]
        found += [c.id for c in self.clauses if clause_id in c.twins]
        return tuple(dict.fromkeys(found))

    def provisions(self) -> tuple[ProvisionInfo, ...]:
        return tuple(p for c in self.clauses for p in c.provisions)

    def chain(self, entity: str | None) -> tuple[EntityInfo, ...]:
        """The entity and its ancestors, nearest first."""
        out: list[EntityInfo] = []
        seen: set[str] = set()
        while entity and entity not in seen:
            seen.add(entity)
            info = self.entity(entity)
            if info is None:
                break
            out.append(info)
            entity = info.parent
        return tuple(out)

    def resolve(self, parts: tuple[str, ...], scope: str | None) -> Resolved | None:
        """Resolve a (dotted) name seen in a provision whose subject is ``scope``.

        Order: a fact of the subject or an ancestor (nearest first), a parameter, an
        assumption, an enum member.  ``Entity.fact`` and ``Enum.member`` qualify.
        """
        chain = self.chain(scope)
        if len(parts) == 2:
            head, tail = parts
            for ent in chain:
                if ent.name == head and (f := ent.fact(tail)):
                    return Resolved("fact", f.type, tail, entity=ent.name)
            en = self.enum(head)
            if en and tail in en.member_names:
                return Resolved("member", Type("enum", name=en.name), head, member=tail)
            return None
        if len(parts) != 1:
            return None
        (name,) = parts
        for ent in chain:
            if f := ent.fact(name):
                return Resolved("fact", f.type, name, entity=ent.name)
        if name == "id" and chain:
            return Resolved("fact", Type("text"), "id", entity=chain[0].name)
        if p := self.parameter(name):
            return Resolved("parameter", p.type, name)
        if a := self.assumption(name):
            return Resolved("assumption", a.type, name)
        if self.defines and self.define(name) is not None:
            # Its type depends on where it is used: the checker types its expression there.
            return Resolved("define", Type("any"), name)
        for en in self.enums:
            if name in en.member_names:
                return Resolved("member", Type("enum", name=en.name), en.name, member=name)
        return None

    def names_in_scope(self, scope: str | None) -> list[str]:
        """Every name a provision with subject ``scope`` may use (for did-you-mean)."""
        names = [f.name for e in self.chain(scope) for f in e.facts]
        names += [p.name for p in self.parameters] + [a.name for a in self.assumptions]
        names += [d.name for d in self.defines]
        names += [m for e in self.enums for m in e.member_names]
        return names

    def names_of_type(self, scope: str | None, want: Type) -> list[str]:
        """The facts (of the subject's chain), parameters and assumptions of type ``want``
        (none or not): what a position taking ``want`` is offered first by a did-you-mean."""
        typed = [(f.name, f.type) for e in self.chain(scope) for f in e.facts]
        typed += [(p.name, p.type) for p in self.parameters]
        typed += [(a.name, a.type) for a in self.assumptions]
        return [n for n, ty in typed if attrs.evolve(ty, nullable=False) == want]
