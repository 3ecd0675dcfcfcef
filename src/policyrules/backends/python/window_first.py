"""A cap over a window of years anchored at the owner's first grant (``cap X per firm over
3 years from first grant``: 自首次获得支持起三年内累计不超过 X).

Year 1 of the window is the calendar year (年度) of the owner's first grant in the cap's
pool: the earliest year holding one in the ledger or among this evaluation's exact grants
(this schedule's own earlier years included), or, if there is none yet, the year of the
payment being capped.  A payment of a year inside the window is cut by the grants of all
the window's years; a payment of a later year is outside it: the cap leaves it **nothing**
(支持期限自首次获得支持起计算，期满不再支持: the named assumption of docs/patterns/years.md;
the other reading, a new window from the next grant, is not this construct).
"""

from __future__ import annotations

from ...runtime.ledger import Accounts, GrantPath
from ...runtime.money import Money
from .schedule import PaymentCap

__all__ = ["anchored_used", "window_of"]


def window_of(accounts: Accounts, pool: str, scope: GrantPath, year: int, n: int) -> range:
    """The years of the window a payment of ``year`` falls under: ``first .. first + n − 1``
    where ``first`` is the owner's first grant's year (``year`` itself if none is earlier).

    >>> from policyrules.runtime.ledger import Ledger
    >>> window_of(Accounts(Ledger(), {}), "p", (("firm", "F1"),), 2026, 3)
    range(2026, 2029)
    """
    first = accounts.first_year(pool, scope)
    start = year if first is None or first > year else first
    return range(start, start + n)


def anchored_used(
    accounts: Accounts, cap: PaymentCap, scope: GrantPath, year: int, limit: Money
) -> int:
    """The fen already used under ``cap`` for a payment of ``year``: the grants of every
    year of its window; ``limit`` (no room) when ``year`` is after the window."""
    window = window_of(accounts, cap.pool, scope, year, cap.window)
    if year not in window:
        return limit.fen
    used = 0
    for y in window:
        u, taken, _, _ = accounts.account((cap.pool, scope, y))
        used += u + taken
    return used
