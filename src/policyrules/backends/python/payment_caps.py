"""The caps of its year that cut one payment of an award paid over time (:mod:`.instalments`).

Each payment is cut by the caps of its year in the order written: ``per year of
payment_year()`` by the grants of that year (the ledger's, this evaluation's, this
schedule's), ``over N years`` by those of the N years ending with it (三年内累计: a rolling
window), ``over N years from first grant`` by those of the N years from the owner's first
grant (:mod:`.window_first`); a cap of a yearly schedule without a year sums its years.  A
cap that cut a payment is an event of the decision (:func:`cut_payment`), said as a claim
paid at once says a cap that bound it: its account that year, its limit, what the ledger
held of it and this evaluation's earlier claims on it.
"""

from __future__ import annotations

from ...decisions import CapEvent
from ...runtime.ledger import NO_EARLIER, Accounts, Earlier, ScopeKey
from ...runtime.money import Money
from ...runtime.values import Unknown
from .claims import describe_scope, scope_of
from .compile import Env
from .payment_holds import Views
from .schedule import PaymentCap
from .window_first import anchored_used, window_of

__all__ = ["cut_payment", "keys_of", "most_of", "room_left"]


def room_left(
    cap: PaymentCap,
    limit: Money,
    path: tuple[tuple[str, str], ...],
    year: int,
    own_total: int,
    accounts: Accounts,
) -> tuple[Money, int, Views]:
    """What ``cap`` (its limit known) leaves for a payment of ``year``, the fen that
    earlier claims not settled hold in it (their bounds: they may still take that room),
    and the accounts they hold it in (a window's years, in order)."""
    room, held, views, _ = _room_said(cap, limit, path, year, own_total, accounts)
    return room, held, views


# What a cap's line says it held before a payment: the fen used before (the ledger's, or a
# cap of the claim's own earlier payments) and this evaluation's earlier claims on it.
_Said = tuple[int, Earlier]


def _room_said(
    cap: PaymentCap,
    limit: Money,
    path: tuple[tuple[str, str], ...],
    year: int,
    own_total: int,
    accounts: Accounts,
) -> tuple[Money, int, Views, _Said]:
    """:func:`room_left`, and what the cap's line says it held (:data:`_Said`): of a window's
    years, the ledger's grants in all of them and the earlier claims of the payment's own
    year (the line's account)."""
    held = 0
    views: Views = ()
    said: _Said = (0, NO_EARLIER)
    if cap.kind == "claim":
        used = own_total  # 累计: this schedule's own payments so far
        said = (own_total, NO_EARLIER)
    elif cap.kind == "first":
        scope = scope_of(path, cap.per)
        used = anchored_used(accounts, cap, scope, year, limit)
        said = _ledger_said(accounts, cap, scope, year)
    else:
        scope = scope_of(path, cap.per)
        years: list[int | None]
        years = [None] if cap.kind == "ever" else list(range(year - cap.window + 1, year + 1))
        used = ledger = 0
        earlier = NO_EARLIER
        for y in years:
            u, taken, pending, view = accounts.account((cap.pool, scope, y))
            used += u + taken
            ledger += u
            held += pending
            if pending:
                views += (view,)
            if y is None or y == year:
                earlier = view
        said = (ledger, earlier)
    return max(limit - Money(used), Money.zero()), held, views, said


def _ledger_said(
    accounts: Accounts, cap: PaymentCap, scope: tuple[tuple[str, str], ...], year: int
) -> _Said:
    """What a cap ``over N years from first grant`` says it held before a payment of
    ``year``: the ledger's grants in the years of its window, and this evaluation's earlier
    claims of that year (after the window: nothing; the cap leaves it no room)."""
    window = window_of(accounts, cap.pool, scope, year, cap.window)
    if year not in window:
        return 0, NO_EARLIER
    ledger = 0
    earlier = NO_EARLIER
    for y in window:
        u, _, _, view = accounts.account((cap.pool, scope, y))
        ledger += u
        if y == year:
            earlier = view
    return ledger, earlier


def cut_payment(
    caps: tuple[PaymentCap, ...],
    env: Env,
    path: tuple[tuple[str, str], ...],
    year: int,
    amount: Money,
    own_total: int,
    accounts: Accounts,
    missing: set[str],
    events: list[CapEvent],
) -> tuple[Money, tuple[str, Money] | None, bool, Views]:
    """``amount`` after the caps of its year; the last cap that cut it and the amount
    before that cap; whether a cap's limit is unknown (the amount is then a bound); and
    the accounts where earlier claims not settled hold room it needs (it is then at most,
    as a claim paid at once is: grammar/README.md, "Claim order"), none if it gets its
    amount anyway.  Each cap that cut it adds its event to ``events`` (:func:`_event`)."""
    cut: tuple[str, Money] | None = None
    open_cap = False
    doubt: Views = ()
    asked = amount
    bound: list[tuple[PaymentCap, Money, _Said, Money, Money]] = []
    for cap in caps:
        limit = cap.limit(env)
        if isinstance(limit, Unknown):
            missing |= limit.missing
            open_cap = True
            continue
        assert isinstance(limit, Money)
        room, held, views, said = _room_said(cap, limit, path, year, own_total, accounts)
        if room < amount:
            bound.append((cap, limit, said, amount, room))
            cut, amount = (cap.text, amount), room
        if amount.fen > room.fen - held:  # held > 0: ``views`` holds an account or more
            doubt += views
    for cap, limit, said, before, after in bound:
        events.append(_event(cap, limit, path, year, said, asked, amount, before, after))
    return amount, cut, open_cap, doubt


def _event(
    cap: PaymentCap,
    limit: Money,
    path: tuple[tuple[str, str], ...],
    year: int,
    said: _Said,
    asked: Money,
    granted: Money,
    before: Money,
    after: Money,
) -> CapEvent:
    """The event of a cap of its year that cut a payment of ``year`` from ``before`` to
    ``after`` (``asked`` the payment before its year's caps, ``granted`` after them): its
    account that year (a window's: the payment's year; one over all years: none), as a
    claim paid at once says a cap that bound it."""
    scope: tuple[tuple[str, str], ...] | None = scope_of(path, cap.per) if cap.per else None
    at = None if cap.kind == "ever" else year
    used, earlier = said
    return CapEvent(
        cap=cap.text,
        scope="this claim" if scope is None else describe_scope(scope, at),
        limit=limit,
        used_before=Money(used),
        requested=asked,
        granted=granted,
        binding=True,
        earlier=earlier,
        before=before,
        after=after,
        account=None if scope is None else (*scope[-1], at),
    )


def most_of(
    caps: tuple[PaymentCap, ...],
    env: Env,
    path: tuple[tuple[str, str], ...],
    year: int,
    bound: Money | None,
    own_total: int,
    accounts: Accounts,
) -> Money | None:
    """The most an unknown payment of ``year`` can be: ``bound`` (``None``: unbounded)
    after the room of each cap of its year whose limit is known."""
    for cap in caps:
        limit = cap.limit(env)
        if isinstance(limit, Money):
            room, _, _ = room_left(cap, limit, path, year, own_total, accounts)
            bound = room if bound is None else min(bound, room)
    return bound


def keys_of(
    caps: tuple[PaymentCap, ...], path: tuple[tuple[str, str], ...], year: int
) -> list[ScopeKey]:
    """The accounts a payment of ``year`` counts in: each cap's (pool, owner) by its year
    and over all years, as the ledger indexes a grant."""
    keys: dict[ScopeKey, None] = {}
    for cap in caps:
        if cap.per:
            scope = scope_of(path, cap.per)
            keys[(cap.pool, scope, year)] = None
            keys[(cap.pool, scope, None)] = None
    return list(keys)
