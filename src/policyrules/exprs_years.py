"""Closures of the three built-ins of a payment schedule (``paid …``, issue 11 §5).

``payment_year()`` is the calendar year a payment is made in (年度), ``year_index()`` its
place in the schedule (1 for the year of the start, up to N), and ``this_year(x)`` the entry
of a yearly list fact for that year: ``this_year(interest_paid)`` is the interest actually
paid in the year of the payment (贴息：按实际支付利息的 50%), the list's first entry being the
start's year.  A list that has no entry for the year yet leaves that year's amount unknown
(the fact is missing for it), never zero.  The checker allows the three only in the amount
and the caps of an award with a schedule (E291); outside one, the closures refuse (E291).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol

from . import syntax as s
from .printer import print_expr
from .runtime.values import Undecided, Unknown

__all__ = ["PAYMENT_FUNCS", "payment_call"]

PAYMENT_FUNCS = frozenset({"payment_year", "year_index", "this_year"})


class _Env(Protocol):
    payment: tuple[int, int] | None
    reads: dict[str, Any]


def _where(env: _Env, e: s.Call) -> tuple[int, int]:
    if env.payment is None:  # the checker reports E291: defence only
        raise Undecided(f"E291: {print_expr(e)} is read outside a payment schedule")
    return env.payment


def payment_call(e: s.Call, func: str, fns: list[Callable[[Any], Any]]) -> Callable[[Any], Any]:
    """The closure of ``payment_year()``, ``year_index()`` or ``this_year(x)`` (``fns``: the
    closure of ``x``).  Values: a year and an index as :class:`~decimal.Decimal`, an entry of
    the list as it was read; :class:`Unknown` where the list is unknown or too short."""
    if func == "payment_year":
        return lambda env: Decimal(_where(env, e)[0])
    if func == "year_index":
        return lambda env: Decimal(_where(env, e)[1])
    arg = fns[0]

    def entry(env: Any) -> Any:
        _, index = _where(env, e)
        items = arg(env)
        if isinstance(items, Unknown):
            return items
        if index <= len(items):
            return items[index - 1]
        # The list was given, but not yet for this year: the fact is missing for it.
        key = next((k for k, v in reversed(env.reads.items()) if v is items), print_expr(e))
        return Unknown(frozenset({key}))

    return entry
