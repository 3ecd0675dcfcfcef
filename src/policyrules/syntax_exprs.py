"""The syntax tree, part one: the base node, expressions and type references.

The values that statements (:mod:`policyrules.syntax_stmts`) hold.  Import them from
:mod:`policyrules.syntax`, which re-exports both parts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypeAlias

import attrs

from .errors import Span

__all__ = [
    "And",
    "Band",
    "BinOp",
    "BoolLit",
    "Call",
    "Compare",
    "DateLit",
    "DurationLit",
    "Expr",
    "IfExpr",
    "InForce",
    "InSet",
    "IsNone",
    "ListType",
    "MoneyLit",
    "Name",
    "Neg",
    "Node",
    "Not",
    "NumberLit",
    "Of",
    "Or",
    "Otherwise",
    "Progressive",
    "RateLit",
    "Reaches",
    "SetLit",
    "SetType",
    "SimpleType",
    "StringLit",
    "TableAt",
    "TableType",
    "TypeRef",
]


@attrs.frozen
class Node:
    """Base of every node."""

    span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)
    # Where a declared name is written (a fact's NAME, a clause's label, a cap's pool).
    name_span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)


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
    """``a + b``, ``a - b``, ``a × b``, ``a / b`` (an exact quotient; ``÷`` reads as ``/``)."""

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
class IsNone(Node):
    """``x is none`` (or ``x is not none``): whether a fact declared ``or none`` was stated
    none (known absent); unknown while the fact is missing."""

    operand: Expr
    negated: bool = False


@attrs.frozen
class Otherwise(Node):
    """``x otherwise d``: ``x``, or ``d`` where ``x`` is none (known absent)."""

    value: Expr
    default: Expr


@attrs.frozen
class IfExpr(Node):
    """``if c then a else b``."""

    cond: Expr
    then: Expr
    else_: Expr


@attrs.frozen
class Band(Node):
    """``band up to LIMIT pays RATE`` (``limit`` set) or ``band above pays RATE``."""

    limit: Expr | None
    rate: Expr


@attrs.frozen
class Progressive(Node):
    """``progressive BASE band … band …`` — 超额累进: each band's rate applies to the part of
    ``base`` inside it (above the previous limit, up to its own); the parts' exact products
    are summed and rounded down to the fen once."""

    base: Expr
    bands: tuple[Band, ...]


@attrs.frozen
class TableAt(Node):
    """``scale_tiers[revenue]`` — the value of the tier ``key`` falls in."""

    table: str
    key: Expr


@attrs.frozen
class Reaches(Node):
    """``revenue reaches scale_tiers`` — ``operand`` falls in some tier of the table."""

    operand: Expr
    table: str


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
    | IsNone
    | Otherwise
    | IfExpr
    | Progressive
    | TableAt
    | Reaches
)


# ---- types ---------------------------------------------------------------------------------


@attrs.frozen
class SimpleType(Node):
    """``money``, ``date``, ``工作日``, an enum's name...; ``rate up to 300%`` has ``bound``
    300 (in percent)."""

    name: str
    bound: Decimal | None = None
    currency: str | None = None  # `money(USD)`, `exchange(EUR)`


@attrs.frozen
class SetType(Node):
    element: TypeRef


@attrs.frozen
class ListType(Node):
    element: TypeRef


@attrs.frozen
class TableType(Node):
    """``table Level to money`` — a parameter the caller gives as a tier table."""

    key: TypeRef
    value: TypeRef


TypeRef: TypeAlias = SimpleType | SetType | ListType | TableType
