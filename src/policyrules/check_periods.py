"""W218: a period of a clause's rules whose number its quote states in another unit.

W212 compares amounts, rates and counts; a period's unit matters as much: ``due 15 日`` where
the quote says 「15个工作日内」 ends the period days earlier whenever a statutory holiday falls
in it (工作日 skip the holidays, 日 do not), and ``20 日`` for 「20周」 is a third of it.  A
duration literal (``15 日``, ``3 月``) whose number the quote (the provision's own ``quote``
where it has one, else the clause's) states only with another unit — 个工作日 against 日, 天 or
自然日, 周, 个月, 年 — is a warning at the literal, naming both units.  A number the quote
does not state as a period, or states in the literal's unit too, is not warned.  A ``note`` of
the clause or of the provision stating the period in the literal's unit (``15 日``) is the
author's reading and silences it.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import syntax as s
from .check_reading import Reading, clause_reading, reading
from .errors import Diagnostic
from .printer import print_expr
from .quote_figures import Period, periods

__all__ = ["period_warnings"]

_COUNTS = {"工作日": "working days", "日": "calendar days", "周": "weeks", "月": "months"}
_COUNTS["年"] = "years"
_WHY = {
    "工作日": "工作日 skip weekends and statutory holidays (a 调休 weekend day counts)",
    "日": "日 count every calendar day",
    "周": "a 周 is 7 日",
    "月": "a 月 ends on the same day of a later month",
    "年": "a 年 ends on the same day of a later year",
}


def period_warnings(clause: s.Clause, quote: str) -> list[Diagnostic]:
    """W218 for each duration literal of ``clause`` whose number ``quote`` states with
    another unit only, and that no note of the clause or of its provision states."""
    out: list[Diagnostic | None] = []
    own = clause_reading(clause, quote)
    for item in clause.body:
        if isinstance(item, s.Define):
            out.extend(_warn(lit, periods(quote), _noted(own)) for lit in _durations(item))
    for p in clause.provisions:
        r = reading(clause, p, quote)
        stated, notes = periods(r.quote), _noted(r)
        for st in p.body:
            if not isinstance(st, s.Quote | s.Note):
                out.extend(_warn(lit, stated, notes) for lit in _durations(st))
    return [d for d in out if d is not None]


def _noted(r: Reading) -> list[Period]:
    return [f for n in r.notes for f in periods(n)]


def _durations(node: s.Node) -> Iterator[s.DurationLit]:
    if isinstance(node, s.DurationLit):
        yield node
    for child in s.children(node):
        yield from _durations(child)


def _warn(lit: s.DurationLit, stated: list[Period], notes: list[Period]) -> Diagnostic | None:
    same = [f for f in stated if f.value == lit.number]
    if not same or any(f.unit == lit.unit for f in (*same, *notes) if f.value == lit.number):
        return None
    said = ", ".join(dict.fromkeys(f"“{f.text}”" for f in same))
    other = same[0].unit
    shown = print_expr(lit)
    return Diagnostic(
        "W218",
        f"`{shown}` counts {_COUNTS[lit.unit]} ({lit.unit}), and the quote says {said}: "
        f"{_COUNTS[other]} ({other})",
        lit.span,
        hint=f"{_WHY[lit.unit]}, {_WHY[other]}: write `{_number(lit)} {other}`, or, where the "
        f"text means {lit.unit}, say why in a `note` of the clause or provision that "
        f"states {shown}",
        severity="warning",
    )


def _number(lit: s.DurationLit) -> str:
    return f"{lit.number.normalize():f}"
