"""The syntax tree, part three: declarations, the document's header, clauses and the module.

Each is a statement of :mod:`policyrules.syntax_stmts`; a clause holds the provisions of that
module.  Import them from :mod:`policyrules.syntax`, which re-exports every part.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeAlias

import attrs

from .errors import Span
from .syntax_exprs import Expr, Node, TypeRef
from .syntax_stmts import Note, Provision, Quote, Stmt

__all__ = [
    "Assumption",
    "Chapter",
    "Clause",
    "ClauseStmt",
    "Define",
    "DocAgency",
    "DocEvents",
    "DocIssued",
    "DocMeasures",
    "DocNumber",
    "DocSource",
    "DocStmt",
    "DocValid",
    "Document",
    "Entity",
    "EntityList",
    "EntitySingle",
    "EnumDecl",
    "EnumMember",
    "FactDecl",
    "Item",
    "Module",
    "Parameter",
    "Table",
    "TableRow",
    "Twin",
]


@attrs.frozen
class FactDecl(Stmt):
    """``fact NAME: type [or none] ["description"]``; ``none``: the fact may be stated
    none (known absent: 未取得, 不存在), not only given or missing."""

    name: str
    type: TypeRef
    title: str | None = None
    none: bool = False


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
class Define(Stmt):
    """``define NAME ["title"] = EXPR`` — a condition or amount written once and used by
    name; its facts are read in the subject of the provision that uses it."""

    name: str
    title: str | None
    expr: Expr


@attrs.frozen
class TableRow(Stmt):
    """``from KEY give VALUE`` (a threshold) or ``when MEMBER give VALUE`` (an enum key)."""

    key: Expr
    value: Expr
    member: bool = False


@attrs.frozen
class Table(Stmt):
    """``table NAME ["title"]: K to V`` with its rows — a tier table written once."""

    name: str
    title: str | None
    key: TypeRef
    value: TypeRef
    rows: tuple[TableRow, ...]


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


ClauseStmt: TypeAlias = Quote | Note | DocAgency | Twin | Parameter | Assumption | Define | Table


@attrs.frozen
class Clause(Stmt):
    """``clause LABEL ["title"] <quote, notes, parameters> <provisions>``."""

    label: str
    title: str | None
    body: tuple[ClauseStmt, ...]
    provisions: tuple[Provision, ...]


Item: TypeAlias = (
    Document | Chapter | Clause | Entity | EnumDecl | Parameter | Assumption | Define | Table
)


@attrs.frozen
class Module(Node):
    """One ``.rule`` file."""

    items: tuple[Item, ...]
    comments: tuple[str, ...] = attrs.field(default=(), kw_only=True)
    header: tuple[str, ...] = attrs.field(default=(), kw_only=True)
