"""How many undecided claims hold room a claim needs, each once, over the accounts it is
under (:class:`~policyrules.runtime.claim_log.Earlier` views of them).

One claim may hold room in several entries and accounts: a schedule holds each payment in
an account over all years, a claim of two years of an ``over N years`` window holds room in
both, and a later claim may be under several caps (or paid over years, each payment under
its own).  A reader counts claims, so each is counted once.
"""

from __future__ import annotations

from collections.abc import Iterable

from .claim_log import Earlier

__all__ = ["count_held"]


def count_held(views: Iterable[Earlier], own: tuple[str, str] | None = None) -> int:
    """How many undecided claims hold room in the accounts of ``views``, each claim
    (subject, provision) once however many entries or accounts it holds room in, ``own``
    not among them (a schedule's own earlier payments are room it took).

    Views of one account are starts of one log: its longest holds the others' claims.  One
    account is counted at once (:meth:`Earlier.held_claims`); several by joining their
    claims, each account's read once."""
    longest: dict[int, tuple[int, int, dict[tuple[str, str], int]]] = {}
    for view in views:
        total, n, first = view.held_claims()  # (``first``: the log's own index, shared)
        was = longest.get(id(first))
        if was is None or n > was[1]:
            longest[id(first)] = (total, n, first)
    if len(longest) == 1:
        ((total, n, first),) = longest.values()
        return total - int(own is not None and first.get(own, n) < n)
    claims: set[tuple[str, str] | None] = set()
    for total, n, first in longest.values():
        # All the claims of its account, or those first holding room among its first n.
        claims.update(first if total == len(first) else (c for c, i in first.items() if i < n))
    claims.discard(own)
    return len(claims)
