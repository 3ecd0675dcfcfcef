"""The syntax tree: frozen attrs classes, one per grammar rule, each with a source span.

Spans and nothing else are left out of equality, so a tree parsed from the formatter's
output equals the tree it was printed from (``parse(print(tree)) == tree``).  Comments are
kept on the statement they precede (``comments``) or end the line of (``trailing``).
No lark import here: the tree is ours, not the parser's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypeAlias

import attrs

from .errors import Span

__all__ = [
    "Amount",
    "AmountDecided",
    "And",
    "Assumption",
    "BinOp",
    "BoolLit",
    "Call",
    "Cap",
    "Chapter",
    "Clause",
    "Compare",
    "Consequence",
    "DateLit",
    "DocAgency",
    "DocEvents",
    "DocIssued",
    "DocMeasures",
    "DocNumber",
    "DocSource",
    "DocValid",
    "Document",
    "Done",
    "Due",
    "DurationLit",
    "Eligible",
    "Entity",
    "EntityList",
    "EntitySingle",
    "EnumDecl",
    "EnumMember",
    "Expr",
    "FactDecl",
    "IfExpr",
    "InForce",
    "InSet",
    "Item",
    "ListType",
    "Module",
    "MoneyLit",
    "Name",
    "Neg",
    "Node",
    "Not",
    "Note",
    "NumberLit",
    "Of",
    "Once",
    "Or",
    "OrderBy",
    "Parameter",
    "Provision",
    "Quote",
    "RateLit",
    "Require",
    "SetLit",
    "SetType",
    "SimpleType",
    "Stmt",
    "StringLit",
    "Subject",
    "Twin",
    "TypeRef",
    "children",
]


@attrs.frozen
class Node:
    """Base of every node."""

    span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)
    # Where a declared name is written (a fact's NAME, a clause's label, a cap's pool).
    name_span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)


@attrs.frozen
class Stmt(Node):
    """A node that stands on its own line and may carry comments."""

    comments: tuple[str, ...] = attrs.field(default=(), kw_only=True)
    trailing: str | None = attrs.field(default=None, kw_only=True)


# ---- expressions ---------------------------------------------------------------------------


@attrs.frozen
class Name(Node):
    """``name: NAME ("." NAME)*`` — a fact, parameter, assumption, enum member or builtin."""

    parts: tuple[str, ...]

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@attrs.frozen
class MoneyLit(Node):
    """``NUMBER MONEY_UNIT`` — ``200 万元``."""

    number: Decimal
    unit: str


@attrs.frozen
class RateLit(Node):
    """``NUMBER "%"`` — ``30%``; ``number`` is the percentage as written."""

    number: Decimal


@attrs.frozen
class DurationLit(Node):
    """``NUMBER DURATION_UNIT`` — ``30 工作日``."""

    number: Decimal
    unit: str


@attrs.frozen
class NumberLit(Node):
    """A plain number: a count."""

    number: Decimal


@attrs.frozen
class DateLit(Node):
    """``2025-11-24``."""

    value: dt.date


@attrs.frozen
class BoolLit(Node):
    """``true`` or ``false``."""

    value: bool


@attrs.frozen
class StringLit(Node):
    """A double-quoted string."""

    value: str


@attrs.frozen
class SetLit(Node):
    """``{a, b}``."""

    items: tuple[Expr, ...]


@attrs.frozen
class Call(Node):
    """``f(x, y)`` — a builtin function."""

    func: str
    args: tuple[Expr, ...]


@attrs.frozen
class BinOp(Node):
    """``a + b``, ``a - b``, ``a × b``."""

    op: str
    left: Expr
    right: Expr


@attrs.frozen
class Of(Node):
    """``30% of base`` — a rate applied to a base."""

    rate: Expr
    base: Expr


@attrs.frozen
class Compare(Node):
    """``a <= b`` and the other comparisons."""

    op: str
    left: Expr
    right: Expr


@attrs.frozen
class And(Node):
    left: Expr
    right: Expr


@attrs.frozen
class Or(Node):
    left: Expr
    right: Expr


@attrs.frozen
class Not(Node):
    operand: Expr


@attrs.frozen
class Neg(Node):
    operand: Expr


@attrs.frozen
class InSet(Node):
    """``x in {a, b}`` or ``x not in s``."""

    element: Expr
    container: Expr
    negated: bool = False


@attrs.frozen
class InForce(Node):
    """``date in force`` — within the document's validity."""

    operand: Expr


@attrs.frozen
class IfExpr(Node):
    """``if c then a else b``."""

    cond: Expr
    then: Expr
    else_: Expr


Expr: TypeAlias = (
    Name
    | MoneyLit
    | RateLit
    | DurationLit
    | NumberLit
    | DateLit
    | BoolLit
    | StringLit
    | SetLit
    | Call
    | BinOp
    | Of
    | Compare
    | And
    | Or
    | Not
    | Neg
    | InSet
    | InForce
    | IfExpr
)


# ---- types ---------------------------------------------------------------------------------


@attrs.frozen
class SimpleType(Node):
    """``money``, ``date``, ``工作日``, an enum's name...; ``rate up to 300%`` has ``bound``
    300 (in percent)."""

    name: str
    bound: Decimal | None = None


@attrs.frozen
class SetType(Node):
    element: TypeRef


@attrs.frozen
class ListType(Node):
    element: TypeRef


TypeRef: TypeAlias = SimpleType | SetType | ListType


# ---- statements ----------------------------------------------------------------------------


@attrs.frozen
class Quote(Stmt):
    """``quote "..."`` — verbatim text of the source."""

    text: str


@attrs.frozen
class Note(Stmt):
    """``note "..."`` — a remark or an open question."""

    text: str


@attrs.frozen
class Subject(Stmt):
    """``for each product`` — what a provision is evaluated for."""

    entity: str
    each: bool = True


@attrs.frozen
class Eligible(Stmt):
    """``eligible when <condition>``; several lines all must hold."""

    condition: Expr


@attrs.frozen
class Amount(Stmt):
    """``amount <money>`` — a definite amount (a fixed rate times a base, a sum...)."""

    expr: Expr


@attrs.frozen
class AmountDecided(Stmt):
    """``amount decided <fact>`` — the text sets only ceilings; an agency decides."""

    fact: str


@attrs.frozen
class Cap(Stmt):
    """``cap <money> [per E]* [per year of <date>] [shared NAME]``."""

    limit: Expr
    per: tuple[str, ...] = ()
    year_of: Expr | None = None
    shared: str | None = None


@attrs.frozen
class Once(Stmt):
    """``once per E`` — 一次性: at most one grant for the same entity, ever."""

    entity: str


@attrs.frozen
class OrderBy(Stmt):
    """``order by k1, k2`` — the order in which claims share a cap."""

    keys: tuple[Expr, ...]


@attrs.frozen
class Due(Stmt):
    """``due <duration> after <date>``."""

    period: Expr
    start: Expr


@attrs.frozen
class Done(Stmt):
    """``done <date>`` — when the thing due was done."""

    date: Expr


@attrs.frozen
class Require(Stmt):
    """``require <comparison>`` — a target an agency commits to."""

    condition: Expr


@attrs.frozen
class Consequence(Stmt):
    """``consequence "..."`` — what an entitlement gives."""

    text: str


ProvisionStmt: TypeAlias = (
    Quote
    | Note
    | Subject
    | Eligible
    | Amount
    | AmountDecided
    | Cap
    | Once
    | OrderBy
    | Due
    | Done
    | Require
    | Consequence
)


@attrs.frozen
class Provision(Stmt):
    """``award|deadline|target|entitlement|declaration NAME ["title"] <statements>``."""

    kind: str
    name: str
    title: str | None
    body: tuple[ProvisionStmt, ...]


@attrs.frozen
class FactDecl(Stmt):
    """``fact NAME: type ["description"]``."""

    name: str
    type: TypeRef
    title: str | None = None


@attrs.frozen
class EntityList(Stmt):
    """``list NAME [of PARENT]`` — where the entity's instances sit in a facts file."""

    key: str
    parent: str | None = None


@attrs.frozen
class EntitySingle(Stmt):
    """``single NAME`` — one instance at the top of a facts file."""

    key: str


@attrs.frozen
class Entity(Stmt):
    """``entity NAME ["title"] <list|single> <facts>``."""

    name: str
    title: str | None
    body: tuple[EntityList | EntitySingle | FactDecl, ...]


@attrs.frozen
class EnumMember(Node):
    name: str
    title: str | None = None


@attrs.frozen
class EnumDecl(Stmt):
    """``enum NAME ["title"] { a "...", b }``."""

    name: str
    title: str | None
    members: tuple[EnumMember, ...]


@attrs.frozen
class Parameter(Stmt):
    """``parameter NAME: type [= default] ["description"]`` — a value the text leaves open."""

    name: str
    type: TypeRef
    default: Expr | None = None
    title: str | None = None


@attrs.frozen
class Assumption(Stmt):
    """``assumption NAME: type = default "rationale"`` — a choice the text leaves open."""

    name: str
    type: TypeRef
    default: Expr
    rationale: str


@attrs.frozen
class DocNumber(Stmt):
    text: str


@attrs.frozen
class DocAgency(Stmt):
    text: str


@attrs.frozen
class DocIssued(Stmt):
    date: dt.date


@attrs.frozen
class DocValid(Stmt):
    start: dt.date
    end: dt.date | None = None


@attrs.frozen
class DocSource(Stmt):
    path: str
    #: Where the path string stands (the ``span`` covers the whole ``source`` line).
    path_span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)


@attrs.frozen
class DocEvents(Stmt):
    """``events from NAME`` — a date assumption: the earliest event ``in force`` accepts."""

    assumption: str


@attrs.frozen
class DocMeasures(Stmt):
    """``measures 15`` — how many measures the document has, for coverage."""

    count: int


@attrs.frozen
class Twin(Stmt):
    """``twin DOCUMENT LABEL`` — another clause that states the same rule."""

    document: str
    label: str


DocStmt: TypeAlias = (
    DocNumber | DocAgency | DocIssued | DocValid | DocEvents | DocMeasures | DocSource | Note
)


@attrs.frozen
class Document(Stmt):
    """``document NAME "title" <header statements>``."""

    name: str
    title: str
    body: tuple[DocStmt, ...]


@attrs.frozen
class Chapter(Stmt):
    """``chapter 一 "title"`` — clauses after it belong to it."""

    label: str
    title: str


ClauseStmt: TypeAlias = Quote | Note | DocAgency | Twin | Parameter | Assumption


@attrs.frozen
class Clause(Stmt):
    """``clause LABEL ["title"] <quote, notes, parameters> <provisions>``."""

    label: str
    title: str | None
    body: tuple[ClauseStmt, ...]
    provisions: tuple[Provision, ...]


Item: TypeAlias = Document | Chapter | Clause | Entity | EnumDecl | Parameter | Assumption


@attrs.frozen
class Module(Node):
    """One ``.rule`` file."""

    items: tuple[Item, ...]
    comments: tuple[str, ...] = attrs.field(default=(), kw_only=True)
    header: tuple[str, ...] = attrs.field(default=(), kw_only=True)


def children(node: Node) -> list[Node]:
    """The direct child nodes of ``node``, in source order."""
    out: list[Node] = []
    for f in attrs.fields(type(node)):
        if f.name == "span":
            continue
        value = getattr(node, f.name)
        if isinstance(value, Node):
            out.append(value)
        elif isinstance(value, tuple):
            out.extend(v for v in value if isinstance(v, Node))
    return out
