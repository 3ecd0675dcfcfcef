"""A cap with exceptions (``cap X … unless C raise to Y``): its limit for one claim.

原则上不超过 X，特别重大项目可提高至 Y is one ceiling with an exception, not two caps.  The
limit of such a cap (:func:`cap_limit`) is X where no exception applies, Y where one does;
two exceptions that apply with different limits are a conflict: the decision is unknown
(E420, the reason names both) and never a silent pick.  While an exception's condition is
unknown the limit is a :class:`CapLimit` between the candidates (X and Y): the caps then cut
the award's upper bound by the higher and its lower bound by the lower one, so the decision
reads "at least …, at most …" and names the condition that would settle it.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from ... import syntax as s
from ...decisions import CapNote
from ...exprs import Env, Fn
from ...printer import print_cap, print_expr
from ...runtime.money import Money
from ...runtime.values import Undecided, Unknown, Value, format_value, missing_of

__all__ = ["CapLimit", "cap_limit"]


@attrs.frozen
class CapLimit:
    """A cap's limit as its exceptions leave it: between ``low`` and ``high`` (equal when
    settled), ``missing`` the facts that settle it, ``note`` what the cap's line says of it
    (``raised`` or ``between``; its ``describe()`` is what the trace says)."""

    low: Money
    high: Money
    missing: frozenset[str]
    note: CapNote


def cap_limit(cap: s.Cap, c: Callable[[s.Expr], Fn]) -> Fn:
    """The closure of ``cap``'s limit: its own where it has no exception, else a closure
    returning the limit (an :class:`Unknown` where the cap itself is unknown), or a
    :class:`CapLimit` where an exception applies or may apply.

    :raises Undecided: (when called) E420, two exceptions apply with different limits."""
    base = c(cap.limit)
    if not cap.exceptions:
        return base
    exceptions = [
        (i, print_expr(x.condition), c(x.condition), c(x.limit))
        for i, x in enumerate(cap.exceptions)
    ]
    shown = print_cap(cap)

    def limit(env: Env) -> Value:
        default = base(env)
        if isinstance(default, Unknown):
            return default
        # (its place among the exceptions, its condition as written, its limit)
        applies: list[tuple[int, str, Money]] = []
        maybe: list[tuple[int, str, Money]] = []
        missing: set[str] = set()
        for i, text, cond, raised in exceptions:
            holds = cond(env)
            if holds is False:
                continue
            value = raised(env)
            if isinstance(value, Unknown):  # the raised limit itself is not known
                return missing_of(value, holds) or value
            if isinstance(holds, Unknown):
                maybe.append((i, text, value))
                missing |= holds.missing
            else:
                applies.append((i, text, value))
        if len({v for _, _, v in applies}) > 1:
            (_, a, va), (_, b, vb) = next(
                ((x, y) for i, x in enumerate(applies) for y in applies[i + 1 :] if x[2] != y[2])
            )
            raise Undecided(
                f"E420: conflict: the exceptions `{a}` ({format_value(va)}) and `{b}`"
                f" ({format_value(vb)}) of the cap {shown} both apply",
                hint="the text must say which prevails; check the facts of both conditions",
            )
        settled = applies[0][2] if applies else default
        if not maybe:
            if not applies:
                return default
            places, texts = tuple(i for i, _, _ in applies), tuple(t for _, t, _ in applies)
            raised_to = CapNote("raised", texts, places, high=settled.fen)
            return CapLimit(settled, settled, frozenset(), raised_to)
        candidates = [settled, *(v for _, _, v in maybe)]
        low, high = min(candidates), max(candidates)
        places, texts = tuple(i for i, _, _ in maybe), tuple(t for _, t, _ in maybe)
        note = CapNote("between", texts, places, low=low.fen, high=high.fen)
        return CapLimit(low, high, frozenset(missing), note)

    return limit
