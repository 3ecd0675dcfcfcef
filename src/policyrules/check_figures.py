"""W212: a figure of a clause's rules that its quote does not state.

The text is the authority: every amount of money, rate and count written as a literal in a
clause's provisions, tables and defines (caps, amounts, ranges, minimums, thresholds, tier
rows, instalment shares, a quota's or a limit's N) must be a figure of the clause's quote,
in any of the spellings :mod:`policyrules.quote_figures` reads (``200 万元`` is ``200万元``,
``两百万元``, ``2000000 元``; ``30%`` is ``百分之三十``).  A literal the quote does not state
is a warning at the literal, naming the quote's nearest figures.

Not figures of the text, so never warned: a parameter's or assumption's default (its value
comes from elsewhere), zero (``else 0 元``), a number in arithmetic (``year(d) - 1``,
``1 / 3 of x``), periods and dates.  A figure the author reads differently from the text
(``100 万`` with 元 left out, a sum of two figures) is silenced by a ``note`` of the clause or
of the provision that states it: the note says why.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal

import attrs

from . import syntax as s
from .errors import Diagnostic, Span
from .printer import print_expr
from .quote_figures import Figure, figures

__all__ = ["figure_warnings"]

_MULT = {"万": Decimal(10**4), "亿": Decimal(10**8)}
_KIND_WORDS = {"money": "amount", "rate": "rate", "count": "count"}


@attrs.frozen
class _Literal:
    kind: str
    value: Decimal
    currency: str
    shown: str
    span: Span | None


def figure_warnings(clause: s.Clause, quote: str) -> list[Diagnostic]:
    """W212 for each literal of ``clause`` that ``quote`` (its quote) does not state and no
    note of the clause or of its provision states either."""
    stated = figures(quote)
    clause_notes = _noted(clause.body)
    out: list[Diagnostic | None] = []
    for item in clause.body:
        if isinstance(item, s.Table | s.Define):
            out.extend(_warn(lit, stated, clause_notes) for lit in _literals(item, None))
    for p in clause.provisions:
        notes = clause_notes + _noted(p.body)
        for st in p.body:
            if isinstance(st, s.Quota):
                lit = _Literal("count", Decimal(st.count), "", f"quota {st.count}", st.span)
                out.append(_warn(lit, stated, notes))
            elif isinstance(st, s.Limit) and isinstance(st.count, int):
                # 每年奖励人数不超过5人: N is a count the quote states (人, 个, 项, 家)
                lit = _Literal("count", Decimal(st.count), "", f"limit {st.count}", st.span)
                out.append(_warn(lit, stated, notes))
            elif not isinstance(st, s.Quote | s.Note | s.Rounding):
                out.extend(_warn(lit, stated, notes) for lit in _literals(st, None))
    return [d for d in out if d is not None]


def _noted(body: tuple[s.Stmt, ...]) -> list[Figure]:
    return [f for b in body if isinstance(b, s.Note) for f in figures(b.text)]


def _literals(node: s.Node, parent: s.Node | None) -> Iterator[_Literal]:
    match node:
        case s.MoneyLit(number=n, unit=u):
            mult = _MULT.get(u[:1], Decimal(1))
            currency = u[1:] if u[:1] in _MULT else u
            yield _Literal("money", n * mult, currency, print_expr(node), node.span)
        case s.RateLit(number=n):
            yield _Literal("rate", n, "", print_expr(node), node.span)
        case s.NumberLit(number=n) if not isinstance(parent, s.BinOp):
            yield _Literal("count", n, "", print_expr(node), node.span)
    for child in s.children(node):
        yield from _literals(child, node)


def _same(lit: _Literal, f: Figure) -> bool:
    return f.kind == lit.kind and f.value == lit.value and f.currency == lit.currency


def _warn(lit: _Literal, stated: list[Figure], notes: list[Figure]) -> Diagnostic | None:
    if lit.value == 0 or any(_same(lit, f) for f in (*stated, *notes)):
        return None
    what = _KIND_WORDS[lit.kind]
    near = _nearest(lit, stated)
    if near:
        said = ", ".join(f"“{f.text}”" for f in near)
        hint = f"the quote says {said}"
        if lit.kind == "money" and near[0].value in _spellings(lit):  # a unit slip
            hint += f" (did you mean `{_money(near[0])}`?)"
    else:
        hint = f"the quote states no {what}"
    return Diagnostic(
        "W212",
        f"`{lit.shown}` is not a figure of the clause's quote",
        lit.span,
        hint=f"{hint}; write the text's figure, or, where the text means this one, say why "
        f"in a `note` of the clause or provision that states {lit.shown}",
        severity="warning",
    )


def _nearest(lit: _Literal, stated: list[Figure]) -> list[Figure]:
    """The quote's figures of the literal's kind, nearest first: the same number in another
    unit (``5000 元`` for ``5000万元``), then by how many times larger or smaller."""
    seen: dict[tuple[Decimal, str], Figure] = {}
    for f in stated:
        if f.kind == lit.kind and f.currency == lit.currency:
            seen.setdefault((f.value, f.text), f)
    numbers = _spellings(lit)

    def distance(f: Figure) -> tuple[bool, float]:
        ratio = abs(math.log10(float(f.value)) - math.log10(float(lit.value)))
        return (f.value not in numbers, ratio)

    return sorted(seen.values(), key=distance)[:3]


def _spellings(lit: _Literal) -> set[Decimal]:
    """The values of the literal's number in each unit: 5000 元, 5000 万元, 5000 亿元."""
    return {lit.value * m for m in (Decimal(1), *_MULT.values())} | {
        lit.value / m for m in _MULT.values()
    }


def _money(f: Figure) -> str:
    for word, mult in reversed(_MULT.items()):
        if f.value >= mult and f.value % mult == 0:
            return f"{(f.value / mult).normalize():f} {word}{f.currency}"
    return f"{f.value.normalize():f} {f.currency}"
