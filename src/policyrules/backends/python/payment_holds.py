"""The earlier claims holding room a payment of an award paid over time needs, named
(:attr:`~policyrules.decisions.Payment.held_by`); they are counted, each claim once, by
:func:`~policyrules.runtime.claim_holds.count_held`
(:attr:`~policyrules.decisions.Payment.hold_count`).

A payment is at most where earlier claims not settled hold room it needs in a cap's
accounts (:mod:`.instalments`): its entitlement's caps over all years, and its year's caps
(a window's years each), each given as a view of its claims
(:class:`~policyrules.runtime.claim_log.Earlier`).
"""

from __future__ import annotations

from ...runtime.claim_log import Earlier
from ...runtime.holds import Hold

__all__ = ["Views", "name_holds"]

# The views of the accounts, in the order the caps and a window's years are read.
Views = tuple[Earlier, ...]


def name_holds(views: Views, own: tuple[str, str]) -> tuple[Hold, ...]:
    """The claims a payment names: the last 3 of each account in ``views``, each claim once
    (:meth:`Earlier.holds`: a schedule's payments in an account over all years one claim,
    holding their sum), the schedule ``own`` (subject, provision) not among them."""
    named: dict[tuple[str, str], Hold] = {}
    for view in views:
        for h in view.holds(3, own):
            named.setdefault((h.subject, h.provision), h)
    return tuple(named.values())
