"""Ledgers given by several routes (a facts file's ``ledger:``, ``--ledger``, a store) as one:
the same grant by two routes is one grant; one payment with two amounts is refused (E326).
A run's own grant with the identity of an earlier one is no disagreement but a top-up (the
rest of an entitlement): refused as a store refuses it, E331, saying how to record it."""

from __future__ import annotations

from .errors import Diagnostic, GrantConflict, LedgerError
from .ledger_bases import merge_bases
from .runtime.ledger import Grant, GrantPath, Ledger

__all__ = ["merge_ledgers", "top_up"]


def merge_ledgers(*parts: tuple[str, Ledger], made: str | None = None) -> Ledger:
    """The grants of several ledgers, each named (``("the facts' ledger", ledger)``), in
    order.  The same grant (same identity and amount) given by several of them is one grant
    and counts once: a store may hold what a facts file also lists.

    The bases (readings) of all of them are kept.  ``made``: the name of the part that is
    a run's own grants (last), made after reading the others.

    :raises LedgerError: E326 if two of them give the same identity (provision, path, year)
        with different amounts, naming both; E331 if one of them is a grant of ``made``
        (a top-up); E335 if two of them give one provision's assumption two values.
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
                if name == made:
                    raise LedgerError(top_up(first, where, g))
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


def top_up(first: Grant, where: str, more: Grant) -> Diagnostic:
    """E331: ``more``, a run's grant, pays the rest of ``first``'s entitlement (in
    ``where``) under the same identity, which a ledger holds once."""
    year = " in the same year" if more.year is not None else " (it counts in no year)"
    return Diagnostic(
        "E331",
        f"the grant {more.describe()} is already {first.amount.format_cn()} in {where}; "
        f"this run gives it {more.amount.format_cn()} more{year}: a top-up (the "
        "entitlement rose after it was paid, or it was paid in part), which a ledger "
        "cannot hold beside it; nothing was written",
        hint="a ledger holds one payment per provision, subject and year, so that a payment "
        "listed twice is always caught; if the top-up is paid, record the total, "
        f"{(first.amount + more.amount).format_cn()}, as the one grant (in {where}; a "
        "store: `ledger export`, set the amount, `ledger import` into a new store) and "
        "run again",
    )
