"""W266 and W267: an award's amount that the text does not fix.

A ceiling is not an amount.  「单个品种不超过300万元」 caps an award the agency decides or a
rate computes; ``amount 300 万元`` pays 300 万元 as certain, to a drug with no trial cost too.

- W266: a constant of an award's ``amount`` (``amount 300 万元``, a branch of ``if … then
  300 万元 else 0 元``, the rate of ``amount 50% of base``) equal to a figure its quote puts
  under a ceiling word (不超过, 最高, 最多, 上限, 封顶 before it, 以内, 以下 after it; read by
  :func:`policyrules.quote_figures.ceiling_word`) and states nowhere else.
- W267: a constant amount where the quote leaves the amount to implementing rules (一定比例,
  一定支持, 分档, …: :data:`OPEN`) without a ceiling to confuse it with.

The quote is the provision's own ``quote`` where it has one, else the clause's.  Figures are
compared by value across spellings, as W212 does (``300 万元`` is ``300万元``, ``三百万元``).  A
``note`` of the clause or the provision that states the figure as an amount (not itself under a
ceiling word: 「实施细则定为每个品种300万元」) is the author's reading and silences both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from . import syntax as s
from .check_reading import reading
from .errors import Diagnostic
from .printer import print_expr
from .quote_figures import Figure, ceiling_word, figures

__all__ = ["OPEN", "ceiling_warnings"]

# The words by which a text leaves the rate, the tiers or the amount to implementing rules.
OPEN = re.compile(r"一定(?:的)?(?:比例|额度|金额|(?:资金)?(?:支持|奖励|补助|补贴|资助))|分档")
_MULT = {"万": Decimal(10**4), "亿": Decimal(10**8)}


def ceiling_warnings(clause: s.Clause, quote: str) -> list[Diagnostic]:
    """W266 and W267 for the awards of ``clause``, whose quote is ``quote``."""
    out: list[Diagnostic | None] = []
    for p in clause.provisions:
        if p.kind != "award":
            continue
        r = reading(clause, p, quote)
        text, notes = r.quote, r.notes
        read = [f for n in notes for f in figures(n) if ceiling_word(n, f, figures(n)) is None]
        for st in p.body:
            if isinstance(st, s.Amount):
                found = [_ceiling(lit, f, text) for lit, f in _constants(st.expr)]
                said = [(lit, f, w) for lit, f, w in (x for x in found if x) if not _in(f, read)]
                out.extend(_w266(lit, f, w, text) for lit, f, w in said)
                if not any(found):
                    out.extend(_w267(lit, f, text, read) for lit, f in _constants(st.expr))
    return [d for d in out if d is not None]


def _constants(e: s.Expr) -> Iterator[tuple[s.Expr, Figure]]:
    """The constants ``e`` may pay as they are: a money literal (itself or a branch of ``if``),
    or the rate literal of ``RATE of BASE``; each with its value as a figure."""
    match e:
        case s.MoneyLit(number=n, unit=u) if n:
            mult = _MULT.get(u[:1], Decimal(1))
            currency = u[1:] if u[:1] in _MULT else u
            yield e, Figure("money", n * mult, print_expr(e), 0, currency)
        case s.RateLit(number=n) if n:
            yield e, Figure("rate", n, print_expr(e), 0)
        case s.IfExpr(then=a, else_=b):
            yield from _constants(a)
            yield from _constants(b)
        case s.Of(rate=s.RateLit() as r) | s.BinOp(op="×", left=s.RateLit() as r):
            yield from _constants(r)


def _same(a: Figure, b: Figure) -> bool:
    return a.kind == b.kind and a.value == b.value and a.currency == b.currency


def _in(f: Figure, stated: list[Figure]) -> bool:
    return any(_same(f, g) for g in stated)


def _ceiling(lit: s.Expr, f: Figure, text: str) -> tuple[s.Expr, Figure, str] | None:
    """The literal, the quote's figure it equals and its ceiling word, where every figure of
    the quote equal to it is under a ceiling."""
    stated = figures(text)
    same = [g for g in stated if _same(f, g)]
    words = [ceiling_word(text, g, stated) for g in same]
    if not same or None in words:
        return None
    word = words[0]
    assert word is not None
    return lit, same[0], word


def _w266(lit: s.Expr, f: Figure, word: str, text: str) -> Diagnostic:
    shown = print_expr(lit)
    open_words = OPEN.search(text)
    if f.kind == "rate":
        instead = "the agency's rate as a fact (`amount decided FACT`, with `cap "
        instead += f"{shown} of BASE`), or a parameter left unset"
    else:
        instead = "an unset rate parameter (`amount RATE of BASE`) or the agency's decided "
        instead += f"amount (`amount decided FACT`), with `cap {shown} per …`"
    also = f", and the text leaves the amount open (“{open_words[0]}”)" if open_words else ""
    return Diagnostic(
        "W266",
        f"`amount {shown}` pays as certain “{f.text}”, which the quote puts under “{word}”: "
        f"a ceiling is not an amount{also}",
        lit.span,
        hint=f"write {instead}; where the text fixes the amount at {f.text}, say so in a "
        f"`note` of the clause or provision stating {shown}",
        severity="warning",
    )


def _w267(lit: s.Expr, f: Figure, text: str, read: list[Figure]) -> Diagnostic | None:
    open_words = OPEN.search(text)
    if f.kind != "money" or open_words is None or _in(f, read):
        return None
    shown = print_expr(lit)
    return Diagnostic(
        "W267",
        f"`amount {shown}` is a constant, and the quote leaves the amount to implementing "
        f"rules (“{open_words[0]}”)",
        lit.span,
        hint="write the open rate or tiers as an unset parameter (`parameter R: rate`, "
        "`amount R of BASE`) or the agency's decided amount (`amount decided FACT`), capped "
        f"by the text's ceiling; where an implementing rule fixes {shown}, say so in a `note` "
        f"of the clause or provision stating {shown}",
        severity="warning",
    )
