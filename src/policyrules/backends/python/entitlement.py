"""The entitlement of an award paid in instalments, split into them (分期拨付).

The entitlement is the award's amount after the caps that see it whole (the claim's own,
``per E``, ``per E ever``: what the schedule paid in earlier years is not counted against
it a second time); the k-th instalment is ⌊entitlement × share_k⌋ fen, the fen the
rounding leaves going to the ``remainder`` instalment, so they sum to the entitlement.
While the amount is unknown, each instalment's bound and the whole's
(:func:`entitlement_parts`); :mod:`.instalments` pays them year by year.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ...decisions import CapEvent, CapNote
from ...runtime.ledger import NO_EARLIER, Accounts
from ...runtime.money import Money
from ...runtime.values import Unknown, format_value
from .claims import CapRow, cap_events_of, describe_scope, scope_of
from .compile import CompiledProvision, Env
from .payment_holds import Views
from .schedule import CompiledSchedule

__all__ = ["entitlement_parts", "split"]

_NONE = (None, None, None)


def split(total: Money, shares: tuple[Decimal, ...], remainder: str) -> list[Money]:
    """``total`` in instalments: ⌊total × share⌋ fen each, the fen left over to the
    ``first`` or ``last`` one.

    >>> [str(m) for m in split(Money.of("100", "元"), (Decimal("0.4"), Decimal("0.3"), Decimal("0.3")), "last")]
    ['40.00 元', '30.00 元', '30.00 元']
    >>> [m.fen for m in split(Money(100001), (Decimal("0.4"), Decimal("0.3"), Decimal("0.3")), "last")]
    [40000, 30000, 30001]
    """  # noqa: E501
    parts = [int(Fraction(total.fen) * Fraction(r)) for r in shares]
    left = total.fen - sum(parts)
    parts[-1 if remainder == "last" else 0] += left
    return [Money(p) for p in parts]


def entitlement_parts(
    cp: CompiledProvision,
    cs: CompiledSchedule,
    env: Env,
    path: tuple[tuple[str, str], ...],
    accounts: Accounts,
    paid: Money,
    missing: set[str],
    lines: list[str],
    caps: list[CapEvent] | None = None,
) -> tuple[list[Money | None], list[str | None], list[Money | None], int | None, Views]:
    """The entitlement after the caps that see it whole, split into instalments; while it
    is unknown, no instalments but the most each could be (the caps' room, split), or
    ``None`` where no cap bounds it, and the most the whole could be (fen: less than the
    bounds' sum, each rounded up alone); and the accounts of those caps where earlier
    claims not settled hold room the entitlement needs (it is then at most).  ``caps``
    gets each of those caps' event, as a claim paid at once has it (:func:`.claims.
    apply_caps`): the amount requested, what the cap's account held before (the ledger's
    grants less this schedule's own instalments, and this evaluation's earlier claims), and
    the entitlement before and after it."""
    doubt: Views = ()
    rows: list[CapRow] = []
    shares = [f"{(r * 100).normalize():f}%" for r in cs.shares]
    value = cp.amount(env) if cp.amount else None
    known = isinstance(value, Money)
    if isinstance(value, Unknown):
        missing |= value.missing
    entitlement: Money | None = max(value, Money.zero()) if isinstance(value, Money) else None
    for cap in cs.whole:
        limit = cap.limit(env)
        if isinstance(limit, Unknown):
            missing |= limit.missing
            note = CapNote("unknown", needs=tuple(sorted(limit.missing)))
            rows.append((cap.text, "this claim", None, Money.zero(), NO_EARLIER, note, *_NONE))
            continue
        assert isinstance(limit, Money)
        used = pending = 0
        view = None
        shown, account, ledger, earlier = "this claim", None, 0, NO_EARLIER
        if cap.per:
            # The grants in the cap's account, less this schedule's own earlier payments:
            # the entitlement they are part of is what is being capped.
            scope = scope_of(path, cap.per)
            u, taken, pending, view = accounts.account((cap.pool, scope, None))
            used = u + taken - paid.fen
            shown, account = describe_scope(scope, None), (*scope[-1], None)
            ledger, earlier = max(u - paid.fen, 0), view
        room = max(limit - Money(used), Money.zero())
        after = room if entitlement is None else min(entitlement, room)
        said = (cap.text, shown, limit, Money(ledger), earlier, None)
        rows.append((*said, entitlement, after, account))
        # Earlier claims not settled hold room here that it needs: the entitlement is at most.
        short = entitlement is not None and min(entitlement.fen, room.fen) > room.fen - pending
        if known and pending and view is not None and short:
            doubt += (view,)
        if entitlement is None or room < entitlement:
            if not known:
                entitlement = room
                continue
            lines.append(
                f"cap {cap.text}: limit {format_value(limit)}, already used "
                f"{format_value(Money(used))}: entitlement {format_value(entitlement)} to "
                f"{format_value(room)}"
            )
            entitlement = room
    if caps is not None:
        # a cap binds where it lowered the entitlement, as on a claim paid at once; with the
        # amount unknown none binds (its instalments are only held, not "up to" a bound)
        asked = max(value, Money.zero()) if isinstance(value, Money) else None
        caps.extend(cap_events_of(rows, asked, entitlement, bound_binds=False))
    if not known:
        if entitlement is None:
            return [None] * cs.years, list(shares), [None] * cs.years, None, ()
        # ⌊E × share⌋ grows with E; the remainder instalment is below E × its share plus
        # one fen for each other instalment: a bound, never less than the instalment.
        bounds = split(entitlement, cs.shares, cs.remainder)
        r = -1 if cs.remainder == "last" else 0
        bounds[r] = Money(bounds[r].fen + cs.years - 1)
        bounded = list[Money | None](bounds)
        return [None] * cs.years, list(shares), bounded, entitlement.fen, ()
    assert entitlement is not None  # known: the amount, cut by the caps
    lines.append(f"entitlement {format_value(entitlement)} in shares {', '.join(shares)}")
    amounts: list[Money | None] = list(split(entitlement, cs.shares, cs.remainder))
    return amounts, list(shares), [None] * cs.years, None, doubt
