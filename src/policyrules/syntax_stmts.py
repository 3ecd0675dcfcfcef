"""The syntax tree, part two: the statement and the statements of a provision.

A statement stands on its own line and may carry comments; it holds the expressions and type
references of :mod:`policyrules.syntax_exprs`.  The declarations, the document's header, the
clause and the module that hold these statements are in :mod:`policyrules.syntax_decls`.
Import them all from :mod:`policyrules.syntax`, which re-exports every part.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TypeAlias

import attrs

from .errors import Span
from .syntax_exprs import Expr, Node

__all__ = [
    "Amount",
    "AmountDecided",
    "AmountMinimum",
    "AmountRange",
    "Cap",
    "CapException",
    "Consequence",
    "Done",
    "Due",
    "Eligible",
    "Encouraged",
    "Limit",
    "Note",
    "Once",
    "OrderBy",
    "Provision",
    "ProvisionStmt",
    "Quota",
    "Quote",
    "Require",
    "Rounding",
    "Schedule",
    "Stmt",
    "Subject",
    "Tiers",
]


@attrs.frozen
class Stmt(Node):
    """A node that stands on its own line and may carry comments."""

    comments: tuple[str, ...] = attrs.field(default=(), kw_only=True)
    trailing: str | None = attrs.field(default=None, kw_only=True)
    # Comments inside a condition over several lines: (operand's index in chain_operands, text).
    inner: tuple[tuple[int, str], ...] = attrs.field(default=(), kw_only=True)


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
class AmountRange(Stmt):
    """``amount LOW to HIGH [decided FACT]`` — the agency picks the amount within the range.

    A rate range of a base (``amount 10% to 30% of investment``: 按…的 10%—30%) has ``base``
    set, ``low`` and ``high`` the two rates; a money range (``amount 50 万元 to 100 万元``)
    has ``base`` ``None``.  ``decided`` names the fact holding the agency's choice: a rate
    for a rate range, money for a money range."""

    low: Expr
    high: Expr
    base: Expr | None = None
    decided: str | None = None


@attrs.frozen
class AmountMinimum(Stmt):
    """``minimum <money>`` — 不低于, 最低给予: the award is at least this before its caps."""

    expr: Expr


@attrs.frozen
class Rounding(Stmt):
    """``rounding down to 1 元`` — the award's amount is rounded down to a multiple of
    ``unit`` (default, with no such line: down to the fen)."""

    mode: str
    number: Decimal
    unit: str


@attrs.frozen
class CapException(Node):
    """``unless <condition> raise to <money>`` on a cap (原则上不超过 X，…可提高至 Y)."""

    condition: Expr
    limit: Expr


@attrs.frozen
class Cap(Stmt):
    """``cap <money> [per E]* [per year of <date>] [shared NAME] [unless C raise to Y]*``."""

    limit: Expr
    per: tuple[str, ...] = ()
    year_of: Expr | None = None
    shared: str | None = None
    exceptions: tuple[CapException, ...] = ()
    window: int | None = None  # `over N years`: 三年内累计不超过 (a payment schedule's caps)
    ever: bool = False  # `ever`: 累计不超过 over the policy's life (every year counts)
    # `over N years from first grant`: 自首次获得支持起三年内累计不超过 (the window's year 1 is
    # the year of the owner's first grant under the cap; docs/patterns/years.md)
    from_first: bool = False


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


@attrs.frozen
class Encouraged(Stmt):
    """``encouraged`` — a deadline or a target the document encourages (鼓励…), not one it
    requires: its decisions say so, their statuses unchanged."""


@attrs.frozen
class Tiers(Stmt):
    """``tiers by ASSUMPTION`` — which reading of a tier table the award follows
    (``top_up`` 晋档补差 or ``highest_only``)."""

    assumption: str


@attrs.frozen
class Quota(Stmt):
    """``quota N ranked by FACT`` — 择优支持不超过 N 个: at most N winners, by a rank."""

    count: int
    rank: str


@attrs.frozen
class Limit(Stmt):
    """``limit N per E [per year of DATE]`` — 单个企业每年奖励人数不超过 N 人: at most N
    subjects of the award paid per owner ``per`` (per year of ``year_of``); ``count`` a
    whole number or the name of a parameter."""

    count: int | str
    per: str
    year_of: Expr | None = None


@attrs.frozen
class Schedule(Stmt):
    """``paid over N years from START: R1, R2, … [remainder first|last]`` (分 N 年拨付: the
    entitlement in instalments, ``shares`` the rates) or ``paid yearly for N years from
    START`` (``yearly``: an amount computed for each year, 前三年全额、后两年减半)."""

    years: int
    start: Expr
    shares: tuple[Expr, ...] = ()
    remainder: str | None = None
    yearly: bool = False
    remainder_span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)


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
    | Encouraged
    | AmountRange
    | AmountMinimum
    | Rounding
    | Tiers
    | Quota
    | Limit
    | Schedule
)


@attrs.frozen
class Provision(Stmt):
    """``award|deadline|target|entitlement|declaration NAME ["title"] <statements>``."""

    kind: str
    name: str
    title: str | None
    body: tuple[ProvisionStmt, ...]
