"""The earlier claims holding room a payment of an award paid over time needs, named and
counted (:attr:`~policyrules.decisions.Payment.held_by`,
:attr:`~policyrules.decisions.Payment.hold_count`).

A payment is at most where earlier claims not settled hold room it needs in a cap's
accounts (:mod:`.instalments`): its entitlement's caps over all years, and its year's caps
(a window's years each), each given as a view of its claims
(:class:`~policyrules.runtime.claim_log.Earlier`).
"""

from __future__ import annotations

from ...runtime.claim_holds import count_held
from ...runtime.claim_log import Earlier
from ...runtime.holds import Hold

__all__ = ["Views", "count_holds", "name_holds"]

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


def count_holds(views: Views, own: tuple[str, str]) -> int:
    """How many earlier claims not settled hold room in the accounts ``views``, each claim
    once however many of them it holds room in (a window's years; an account over all years,
    which holds each payment of a schedule), the schedule ``own`` (subject, provision) not
    among them: its own earlier payments are room the award took, not an earlier claim's.

    Each account's distinct claims are indexed once (:meth:`Earlier.held_claims`), so one
    account is counted at once; over several, their claims are joined
    (:func:`~policyrules.runtime.claim_holds.count_held`)."""
    return count_held(views, own)
