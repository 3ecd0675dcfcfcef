"""Ledgers given by several routes (a facts file's ``ledger:``, ``--ledger``, a store) as one:
the same grant by two routes is one grant; one payment with two amounts is refused (E326)."""

from __future__ import annotations

from .errors import Diagnostic, GrantConflict
from .ledger_bases import merge_bases
from .runtime.ledger import Grant, GrantPath, Ledger

__all__ = ["merge_ledgers"]


def merge_ledgers(*parts: tuple[str, Ledger]) -> Ledger:
    """The grants of several ledgers, each named (``("the facts' ledger", ledger)``), in
    order.  The same grant (same identity and amount) given by several of them is one grant
    and counts once: a store may hold what a facts file also lists.

    The bases (readings) of all of them are kept.

    :raises LedgerError: E326 if two of them give the same identity (provision, path, year)
        with different amounts, naming both; E335 if two of them give one provision's
        assumption two values.
    """
    given = [ledger for _, ledger in parts if ledger.grants]
    if len(given) == 1 and _no_copies(given[0].grants):
        # One ledger's payments are already distinct (E326 when it was made), and no grant
        # of 0.00 元 is listed twice: its grants, as the loop below would keep them.
        return Ledger.trusted(given[0].grants, merge_bases(parts))
    seen: dict[tuple[str, GrantPath, int | None, str | None], tuple[str, Grant]] = {}
    grants: list[Grant] = []
    nothing: set[Grant] = set()
    for name, ledger in parts:
        for g in ledger:
            if not g.amount:
                if g not in nothing:  # 0.00 元 pays nothing; an identical copy adds nothing
                    nothing.add(g)
                    grants.append(g)
                continue
            if g.identity in seen:
                where, first = seen[g.identity]
                if first.amount == g.amount:
                    continue  # the same grant by two routes: one grant
                raise GrantConflict(
                    Diagnostic(
                        "E326",
                        f"the grant {g.describe()} is {first.amount} in {where} "
                        f"but {g.amount} in {name}",
                        hint="one payment has one amount; correct the one that is wrong",
                    )
                )
            seen[g.identity] = (name, g)
            grants.append(g)
    return Ledger(tuple(grants), bases=merge_bases(parts))


def _no_copies(grants: tuple[Grant, ...]) -> bool:
    """Whether no grant of 0.00 元 among ``grants`` is listed twice (equal values)."""
    nothing = [g for g in grants if not g.amount.fen]
    return len(set(nothing)) == len(nothing)
