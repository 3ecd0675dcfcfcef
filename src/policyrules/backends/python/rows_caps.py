"""The cap events of a paid row and their trace lines, written from the row's fen.

Below :mod:`.rows` and :mod:`.paid`.  A row's amounts repeat: the amount before the first
cap is the one requested, after the last the one granted, after a cap that did not bind
the one before it; and the limits are the few the policy writes.  Each such amount is made
into :class:`~policyrules.runtime.money.Money` once and shared (it is immutable), and each
limit's Money and text once per process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Mapping
from typing import Any

from ...decisions import CapEvent, Step
from ...runtime.ledger import NO_EARLIER, ClaimLog, Earlier
from ...runtime.money import Money, cn_text
from ...runtime.values import date_text, format_value
from .compile import CompiledCap
from .trusted import EVENT_SLOTS, money, step

__all__ = [
    "CapRow",
    "Path",
    "cap_events_row",
    "cap_lines_row",
    "fact_texts",
    "kept_set_text",
    "limit_text",
    "money_of",
    "rare_text",
]

Path = tuple[tuple[str, str], ...]

# One cap on one claim: the cap, its scope (None: this claim), its year, its limit, what
# it had used before (fen), the log of its earlier claims and how many, the amount before
# and after it (fen).
CapRow = tuple[CompiledCap, Path | None, int | None, int, int, ClaimLog | None, int, int, int]


# ``Money(fen)`` for an int the evaluator computed: the same value, without the check of
# ``__init__`` (it is an int).
money_of = money

_ZERO = money_of(0)
# A limit's Money and text, by its fen: a policy writes few limits.  Bounded.
_LIMITS: dict[int, tuple[Money, str]] = {}
_LIMITS_MAX = 1024


def _limit(fen: int) -> tuple[Money, str]:
    got = _LIMITS.get(fen)
    if got is None:
        got = (money_of(fen), cn_text(fen))
        if len(_LIMITS) < _LIMITS_MAX:
            _LIMITS[fen] = got
    return got


def limit_text(fen: int) -> str:
    """A cap's limit of ``fen`` as its line says it (``cn_text``; kept by the fen)."""
    return (_LIMITS.get(fen) or _limit(fen))[1]


# The step of a cap's line that says only the cap, its scope and its limit (nothing used,
# no earlier claim, not binding), by its text: a per-product cap's line is the same for
# the same product id in every firm, and a Step is immutable.  Bounded.
_PLAIN: dict[str, Step] = {}
_PLAIN_MAX = 4096


# A set fact's text, by its value, for a set of texts: the few sets the facts hold repeat.
# Bounded.
_SETS: dict[frozenset[Any], str] = {}
_SETS_MAX = 1024


def fact_texts(reads: Mapping[str, Any], rates: Container[str]) -> tuple[tuple[str, str], ...]:
    """The facts a decision read, sorted by name, each with its value as an explanation
    shows it (:func:`~policyrules.runtime.values.format_value`; ``rates``: the facts that
    are rates).  The frequent kinds (money, dates, yes/no) are written here directly."""
    out = []
    for k in sorted(reads):
        v = reads[k]
        kind = type(v)
        if kind is Money:
            out.append((k, cn_text(v.fen)))
        elif kind is dt.date:
            out.append((k, date_text(v)))
        elif kind is bool:
            out.append((k, "true" if v else "false"))
        else:
            out.append((k, rare_text(v, k in rates)))
    return tuple(out)


def kept_set_text(v: frozenset[Any]) -> str | None:
    """The text :func:`rare_text` keeps for the set ``v`` (and says for every set equal to
    it from then on: none is let go), or ``None`` where it keeps none."""
    return _SETS.get(v)


def rare_text(v: Any, rate: bool) -> str:
    """A fact's value as :func:`fact_texts` shows it, for the kinds it does not write
    directly (a set: its items shown without ``rate``, its text kept)."""
    if type(v) is frozenset:
        text = _SETS.get(v)
        if text is None:
            text = format_value(v)
            # Only a set of texts (enum members) is kept: equal sets of numbers may be
            # written apart ({Decimal("1.000000")} is {1}, {Decimal("1.0000000")} {≈1.00}),
            # each said from its own items.
            if len(_SETS) < _SETS_MAX and all(type(item) is str for item in v):
                _SETS[v] = text
        return text
    return format_value(v, rate=rate)


_NEW = object.__new__


def cap_events_row(caps: tuple[CapRow, ...], requested: int, amount: int) -> tuple[CapEvent, ...]:
    """The :class:`CapEvent` of each cap row, as ``apply_caps`` makes them:
    a decision's events, made for every paid claim whose decision is made, each event's
    fields set here by its slots' setters; its trace's lines by :func:`cap_lines_row`."""
    asked = money_of(requested)
    granted = asked if amount == requested else money_of(amount)
    s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11 = EVENT_SLOTS
    made = []
    for cap, scope, year, limit, used, log, stop, before, after in caps:
        ev: CapEvent = _NEW(CapEvent)
        s0(ev, cap.text)
        if scope is None:
            s1(ev, "this claim")
            s11(ev, None)
        else:  # describe_scope, inline
            entity, ident = scope[-1]
            s1(ev, f"{entity} {ident}" if year is None else f"{entity} {ident}, year {year}")
            s11(ev, (entity, ident, year))
        s2(ev, (_LIMITS.get(limit) or _limit(limit))[0])
        s3(ev, money(used) if used else _ZERO)
        s4(ev, asked)
        s5(ev, granted)
        s6(ev, after < before)
        s7(ev, Earlier(log, stop, cap.ceiling) if log is not None and stop else NO_EARLIER)
        s8(ev, None)
        if before == requested:
            b = asked
        elif before == amount:
            b = granted
        else:
            b = money_of(before)
        s9(ev, b)
        if after == before:
            s10(ev, b)
        elif after == amount:
            s10(ev, granted)
        else:
            s10(ev, money_of(after))
        made.append(ev)
    return tuple(made)


def cap_lines_row(caps: tuple[CapRow, ...], trace: list[Step]) -> None:
    """The trace step of each cap row (``cap_line`` of its event), appended to ``trace``:
    the line of each event :func:`cap_events_row` makes, written from the same row (a trace
    made after its decision's events)."""
    put = trace.append
    for cap, scope, year, limit, used, log, stop, before, after in caps:
        if scope is None:
            where = "this claim"
        else:  # describe_scope, inline
            entity, ident = scope[-1]
            where = f"{entity} {ident}" if year is None else f"{entity} {ident}, year {year}"
        line = f"cap {cap.text} ({where}); limit {(_LIMITS.get(limit) or _limit(limit))[1]}"
        some = bool(stop) and log is not None
        binds = after < before
        if not (used or some or binds):  # a line many claims share: one Step for them
            got = _PLAIN.get(line)
            if got is None:
                got = step("cap", line, True)
                if len(_PLAIN) < _PLAIN_MAX:
                    _PLAIN[line] = got
            put(got)
            continue
        if used:
            line += f"; already used {cn_text(used)}"
        if some:
            assert log is not None
            earlier = Earlier(log, stop, cap.ceiling)
            line += "; earlier claims in this evaluation: " + earlier.describe()
        if binds:
            line += (
                f"; binds: cut {cn_text(before - after)} ({cn_text(before)} to {cn_text(after)})"
            )
        put(step("cap", line, not binds))
