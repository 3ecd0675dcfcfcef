"""The earlier grants of a loaded policy: :meth:`~policyrules.Policy.read_ledger`,
:meth:`~policyrules.Policy.record`, :meth:`~policyrules.Policy.load_ledger` and
:meth:`~policyrules.Policy.facts_ledger` (methods of :class:`LedgerEntry`, a base of the
policy), each checking grants against the policy before anything counts them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .api_fields import PolicyFields
from .api_values import read_values
from .facts import Facts
from .ledger_bases import readings_of
from .ledger_io import read_ledger, read_ledger_file
from .ledger_record import record_checked
from .runtime.calendar import HOLIDAY_ASSUMPTION
from .runtime.ledger import Grant, Ledger
from .runtime.values import Value
from .store import LedgerStore

__all__ = ["LedgerEntry"]

_NO_GRANTS = Ledger()  # (a Ledger never changes: one for all facts without a `ledger:`)


class LedgerEntry(PolicyFields):
    """The earlier grants' entry of a loaded policy: a base of :class:`policyrules.Policy`,
    reading its fields (:class:`~policyrules.api_fields.PolicyFields`)."""

    __slots__ = ()

    def read_ledger(self, ledger: Ledger | Iterable[Grant | Mapping[str, Any]]) -> Ledger:
        """Check earlier grants against this policy (see :meth:`Policy.evaluate`).

        :raises LedgerError: E320-E326 and E328, every fault found.
        """
        return self._ledgers.known(self._ledgers.read_new(ledger))

    def record(
        self,
        store: LedgerStore,
        grants: Ledger | Iterable[Grant | Mapping[str, Any]],
        *,
        note: str = "",
        ids_as_written: bool = False,
    ) -> Ledger:
        """Record earlier grants (made elsewhere) in ``store``, checked against this
        policy with the grants the store holds, as ``policyrules ledger import --policy``
        does: all of them or none.  :meth:`LedgerStore.append` records grants unchecked.
        Returns the grants new to the store (one already there is one grant).  A grant to
        ``701`` where the store (or another of ``grants``) has ``0701`` is refused unless
        ``ids_as_written`` says the ids are as their registry writes them (two firms).

        :raises LedgerError: E320-E329 (a provision this policy does not pay, a key it
            needs, an id written as another number, a one-time award paid twice, a cap whose
            limit needs no facts exceeded), E335 (a reading other than the store's), E332
            (the store busy)."""
        ledger = self.read_ledger(grants)
        with store.transaction(note=note or "Policy.record") as txn:
            return record_checked(
                self.checked,
                self.compiled,
                txn,
                ledger,
                "the grants given",
                str(store.path),
                ids_as_written=ids_as_written,
            )

    def load_ledger(self, path: str | Path) -> Ledger:
        """Read and check a YAML/JSON ledger file (``ledger: [...]``); errors point into it.

        :raises FactsError: the file cannot be read or parsed (E301, E302).
        :raises LedgerError: an empty file (write ``ledger: []``), or a bad grant (E320-E326).
        """
        return self._ledgers.known(read_ledger_file(self.checked, path)[0])

    def facts_ledger(self, facts: Facts) -> Ledger:
        """The facts' own earlier grants (their ``ledger:``) with the readings they were
        counted by (``Ledger.bases``): for each provision they hold grants of, each
        assumption its text reads that the facts' own ``assumptions:`` state; the others
        are the defaults, as for a ledger file without ``bases:``.

        :raises LedgerError: a bad grant (E320-E327).
        :raises FactsError: a bad value in the facts' ``assumptions:``.
        """
        if "ledger" not in facts.extra:
            return _NO_GRANTS
        raw = facts.extra["ledger"]
        stated = self._stated(facts) if raw else {}
        # (the years its grants can count in follow these readings too, E352)
        counted = readings_of(self.checked, stated, [p.id for p in self.checked.provisions()])
        own = read_ledger(self.checked, raw, counted_by=tuple(counted))
        if not stated or not own.grants:
            return own
        read = readings_of(self.checked, stated, {g.provision for g in own})
        return Ledger(own.grants, bases=tuple(read))  # a facts file has no `bases:` (E303)

    def _stated(self, facts: Facts) -> dict[str, Value]:
        """The facts' own ``assumptions:`` (how to count days aside), read."""
        stated = dict(facts.extra.get("assumptions") or {})
        stated.pop(HOLIDAY_ASSUMPTION, None)
        return read_values(self.checked, stated, "assumptions") if stated else {}
