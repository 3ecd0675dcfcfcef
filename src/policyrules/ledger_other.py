"""Earlier grants read by another reading than they were counted by (:class:`OtherReading`),
and the texts of the refusals that follow (E335).

A run, or grants joining a ledger store, that would count a provision's earlier grants
under another value of an assumption than they were counted by is refused: the same grants
would fall in other accounts of a yearly cap, and the cap could be paid twice.  A what-if
that records nothing lists each such finding instead (:meth:`OtherReading.text`).  The
checks are :mod:`policyrules.ledger_bases`' and the store's
(:meth:`policyrules.store_txn.StoreTransaction.check_file_bases`); the words are here.
"""

from __future__ import annotations

from typing import Any

import attrs

from .errors import Diagnostic, LedgerError

__all__ = ["SOURCES", "OtherReading", "no_default"]

# What can hold earlier grants (OtherReading.source); ``joining``: a store that grants of
# another reading would join (a ledger file imported, facts' grants committed, an append).
SOURCES = ("file", "store", "table", "facts", "joining")


@attrs.frozen
class OtherReading:
    """Earlier grants of ``provision`` counted with ``assumption`` = ``counted`` (recorded
    in the ledger when ``said``, else taken as the default), read by a run that uses
    ``used``.  A run that records or pays is refused (:meth:`error`, E335): the same
    grants would fall in other accounts of a cap, and the cap could be paid twice.
    ``where`` names the ledger in English: a file, a store, a facts file's ``ledger:``;
    ``facts_file`` is that facts file (``source`` ``facts`` read from a file; None for
    facts given as data, or another source), for the words of another language."""

    where: str
    provision: str
    assumption: str
    counted: str
    used: str
    said: bool
    # What holds the grants: a ledger ``file`` (or value), a ledger ``store``, a registry's
    # ledger ``table`` (it cannot record a reading), the ``facts``' own ledger (its
    # ``assumptions:`` say it); or the store ``where`` that the grants of ``joining`` (a
    # file, facts, ``append(bases=...)``), counted with ``used``, would join.
    source: str = "file"
    joining: str = attrs.field(default="", kw_only=True)
    facts_file: str | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"an OtherReading's source is one of {SOURCES}: {self.source!r}")
        if (self.source == "joining") != bool(self.joining):
            raise ValueError("an OtherReading names what is `joining` a store, and only then")
        if self.facts_file is not None and self.source != "facts":
            raise ValueError("an OtherReading names a facts file for the facts' ledger only")

    def error(self) -> LedgerError:
        """E335, with the change that would make the run (or the grants joining a store)
        match the grants."""
        name, was, value, provision = self.assumption, self.counted, self.used, self.provision
        if self.source == "joining":
            file = self.joining
            message = (
                f"{self.where}: the grants of {provision} in this store were counted with "
                f"the assumption {name} = {was}"
                + ("" if self.said else " (the default: none recorded)")
                + f"; {file} gives {name} = {value}, and would count them differently "
                "(a cap could be paid twice)"
            )
            hint = (
                f"grants counted with {name} = {value} cannot join this store's: if those "
                f"of {file} were counted with {name} = {was}, say so (`bases:` in a ledger "
                "file, `assumptions:` in facts, `bases=` in Python); otherwise re-count them "
                f"by {name} = {was} (each grant's `year`) before adding them"
            )
        elif self.said and self.source == "store":
            message = (
                f"{self.where}: the grants of {provision} in this store were counted with "
                f"the assumption {name} = {was}; this run uses {name} = {value}, and would "
                "count them differently (a cap could be paid twice)"
            )
            hint = (
                f"run with --assume {name}={was} to match the store; if {name} = {value} is "
                f"the right reading, the earlier grants must be counted by it too: `ledger "
                f"export` the store, set each grant's `year` of {provision} as {name} = "
                f"{value} gives it and the `bases:` entry to {value}, and `ledger import` "
                "the file into a new store (never an empty store: the grants it lacks "
                "would be paid again)"
            )
        elif self.said and self.source == "facts":
            message = (
                f"{self.where}: the grants of {provision} in the facts' ledger were counted "
                f"with their own assumption {name} = {was}; this run uses {name} = {value}, "
                "and would count them differently (a cap could be paid twice)"
            )
            hint = (
                f"run with --assume {name}={was} (the facts' own reading), or without it; if "
                f"{name} = {value} is the right reading, set each grant's `year` of "
                f"{provision} as it gives it and state `assumptions: {{{name}: {value}}}` in "
                "the facts"
            )
        elif self.said:
            message = (
                f"{self.where}: the grants of {provision} in this ledger were counted with "
                f"the assumption {name} = {was}; this run uses {name} = {value}, and would "
                "count them differently (a cap could be paid twice)"
            )
            hint = (
                f"run with --assume {name}={was} to match the ledger; if {name} = {value} "
                f"is the right reading, the earlier grants must be counted by it too: set "
                f"each grant's `year` of {provision} as {name} = {value} gives it and the "
                f"`bases:` entry to {value} (never an empty ledger: the grants it lacks "
                "would be paid again)"
            )
        elif self.source == "facts":
            message = (
                f"{self.where}: the facts do not say which reading their grants of "
                f"{provision} were counted by; they are taken as counted by the default "
                f"{name} = {was}, and this run uses {name} = {value} (a cap could be paid "
                "twice)"
            )
            hint = (
                f"if they were counted with {name} = {value}, say so in the facts: "
                f"`assumptions: {{{name}: {value}}}` (it is the reading of this run too); "
                f"otherwise run with --assume {name}={was}, or give the grants in a ledger "
                "file with `bases:`"
            )
        elif self.source == "store":
            message = (
                f"{self.where}: the store records no reading its grants of {provision} were "
                f"counted by (they were appended without one); they are taken as counted by "
                f"the default {name} = {was}, and this run uses {name} = {value} (a cap "
                "could be paid twice)"
            )
            hint = (
                f"if they were counted with {name} = {value}, export the store (`ledger "
                f"export`), add `bases: [{{provision: {provision}, assumption: {name}, "
                f"value: {value}}}]` to the file and import it into a new store; otherwise "
                f"run with --assume {name}={was}"
            )
        elif self.source == "table":
            message = (
                f"{self.where}: a registry's ledger table does not say which reading its "
                f"grants of {provision} were counted by; they are taken as counted by the "
                f"default {name} = {was}, and this run uses {name} = {value} (a cap could "
                "be paid twice)"
            )
            hint = (
                f"if they were counted with {name} = {value}, move them to a ledger file "
                f"with `bases: [{{provision: {provision}, assumption: {name}, value: "
                f"{value}}}]` and give it with --ledger; otherwise run with --assume "
                f"{name}={was}"
            )
        else:
            message = (
                f"{self.where}: the ledger does not say which reading its grants of "
                f"{provision} were counted by; its grants are taken as counted by the "
                f"default {name} = {was}, and this run uses {name} = {value} (a cap could "
                "be paid twice)"
            )
            hint = (
                f"if they were counted with {name} = {value}, say so in the ledger file: "
                f"`bases: [{{provision: {provision}, assumption: {name}, value: {value}}}]`; "
                f"otherwise run with --assume {name}={was}"
            )
        return LedgerError(Diagnostic("E335", message, hint=hint))

    def text(self) -> str:
        """One line for a what-if: the grants are read where they were counted."""
        how = "recorded" if self.said else "taken as the default"
        return (
            f"{self.where}: the earlier grants of {self.provision} were counted with "
            f"{self.assumption} = {self.counted} ({how}); with {self.assumption} = "
            f"{self.used} they are read in the accounts they were counted in, not counted "
            f"again, so the amounts shown with {self.assumption} = {self.used} may differ "
            "from what a run counting every grant by it would pay (a run that pays is "
            "refused: E335)"
        )

    def to_json(self) -> dict[str, Any]:
        """JSON-ready: ``ledger``, ``provision``, ``assumption``, ``counted``, ``used``,
        ``recorded`` (whether the ledger says the value, or it is the default), ``source``
        (``file``, ``store``, ``table``, ``facts``, ``joining``), and for ``joining`` what
        joins the store (``joining``)."""
        out: dict[str, Any] = {
            "ledger": self.where,
            "provision": self.provision,
            "assumption": self.assumption,
            "counted": self.counted,
            "used": self.used,
            "recorded": self.said,
            "source": self.source,
        }
        if self.joining:
            out["joining"] = self.joining
        return out


def no_default(store: str, provision: str, name: str, value: str, joining: str) -> LedgerError:
    """E335: the grants of ``joining`` (counted with ``name`` = ``value``) would join the
    grants of ``provision`` that ``store`` holds without a reading (taken as counted by the
    default), where no policy is at hand to tell whether ``value`` is the default."""
    return LedgerError(
        Diagnostic(
            "E335",
            f"{store}: the store holds grants of {provision} appended without a reading "
            f"(taken as counted by the default of {name}); {joining} gives {name} = {value}, "
            "and the store cannot tell whether that is the default (a cap could be paid twice)",
            hint="add these grants with the policy at hand, which knows the defaults: "
            "`policyrules ledger import STORE FILE --policy POLICY`, or "
            "`policy.evaluate(..., ledger=store, commit=True)`",
        )
    )
