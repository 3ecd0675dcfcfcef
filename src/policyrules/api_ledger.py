"""The earlier grants a :class:`~policyrules.Policy` is given, read, checked and summed once.

A service answering firm by firm on one ledger gives the same :class:`Ledger` value again
and again: :class:`LedgerMemo` (held by the policy) recognises it by its identity, while it
lives, and for the same parameters and assumptions hands back what was made of it: the
ledger read by the policy, the grants merged and checked with the facts' own, the index of
its sums (:class:`~policyrules.runtime.ledger.LedgerIndex`) and the one-time awards' grants
by year (:mod:`policyrules.ledger_years`).  A few are kept; the results are the same with
or without.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from .backends.python.compile import CompiledCap, CompiledPolicy
from .backends.python.evaluate import index_ledger
from .bounds import paused_gc
from .ledger_check import check_caps, check_exclusive, check_once
from .ledger_ids import NumberIndex, number_index
from .ledger_io import merge_ledgers, read_ledger
from .ledger_years import YearIndex, year_index
from .model import CheckedPolicy
from .runtime.ledger import Grant, Ledger, LedgerIndex
from .runtime.values import Value

__all__ = ["LedgerMemo"]

_KEPT = 8  # ledger values remembered at most (then all are forgotten)


class LedgerMemo:
    """What a policy (``checked``, ``compiled``, and its one-time awards whose grants carry
    a year, ``keyed``: :func:`~policyrules.ledger_years.year_keyed`) made of the ledger
    values it was given, by their identity while they live."""

    def __init__(
        self, checked: CheckedPolicy, compiled: CompiledPolicy, keyed: Mapping[str, CompiledCap]
    ) -> None:
        self._checked = checked
        self._compiled = compiled
        self._keyed = keyed
        self._memo: dict[tuple[str, int], tuple[Any, ...]] = {}

    def _remember(self, key: tuple[str, int], value: Any, *item: Any) -> None:
        memo = self._memo
        if len(memo) >= _KEPT:
            memo.clear()
        memo[key] = (weakref.ref(value, lambda _: memo.pop(key, None)), *item)

    def _recall(self, key: tuple[str, int], value: Any) -> tuple[Any, ...] | None:
        hit = self._memo.get(key)
        return hit[1:] if hit is not None and hit[0]() is value else None

    def known(self, ledger: Ledger) -> Ledger:
        """``ledger``, read by this policy: given to :meth:`read`, it is not read again."""
        self._remember(("read", id(ledger)), ledger)  # nothing else held: it may still die
        return ledger

    def _vouched(self, ledger: Ledger) -> bool:
        """Whether ``ledger`` is one :meth:`known` holds: read by this policy, which found
        no one-time award paid twice (E328) nor two awards of an exclusive group (E344)."""
        return self._recall(("read", id(ledger)), ledger) == ()

    def read(self, ledger: Ledger | Iterable[Grant | Mapping[str, Any]]) -> Ledger:
        """``ledger`` read by the policy (:func:`~policyrules.ledger_io.read_ledger`); a
        :class:`Ledger` value read before (or :meth:`known`) is not read again.

        :raises LedgerError: as ``read_ledger`` (E320-E328)."""
        if not isinstance(ledger, Ledger):
            return self.read_new(ledger)
        hit = self._recall(("read", id(ledger)), ledger)
        if hit is not None:
            read: Ledger = hit[0] if hit else ledger
            return read
        read = self.read_new(ledger)
        self._remember(("read", id(ledger)), ledger, read)
        return read

    def read_new(self, ledger: Ledger | Iterable[Grant | Mapping[str, Any]]) -> Ledger:
        """``ledger`` read by the policy, as it is given (nothing recalled).  The cyclic
        collector is paused meanwhile (:func:`~policyrules.bounds.paused_gc`): reading and
        checking make no cycles, and would otherwise be walked again and again (a third of
        the time of 50,000 grants); what is kept joins the oldest generation.

        :raises LedgerError: as :func:`~policyrules.ledger_io.read_ledger` (E320-E328)."""
        with paused_gc(promote=True):
            return read_ledger(self._checked, ledger)

    def year_index(self, parts: tuple[tuple[str, Ledger], ...]) -> YearIndex:
        """The grants of ``parts`` (named ledgers) that
        :func:`~policyrules.ledger_years.years_differ` looks up; of one ledger value given
        again under the same name, kept (as :meth:`whole`)."""
        index: YearIndex = self._indexed("years", parts, partial(year_index, self._keyed))
        return index

    def number_index(self, parts: tuple[tuple[str, Ledger], ...]) -> NumberIndex:
        """The grants of ``parts`` (named ledgers) whose ids
        :func:`~policyrules.ledger_ids.check_numbers` compares with the facts'; of one
        ledger value given again under the same name, kept (as :meth:`whole`)."""
        index: NumberIndex = self._indexed("numbers", parts, number_index)
        return index

    def _indexed(
        self,
        kind: str,
        parts: tuple[tuple[str, Ledger], ...],
        build: Callable[[Iterable[tuple[Grant, str]]], dict[Any, Any]],
    ) -> dict[Any, Any]:
        given = [(name, ledger) for name, ledger in parts if len(ledger)]
        if not given:
            return {}
        if len(given) > 1:
            return build((g, n) for n, ledger in given for g in ledger)
        name, one = given[0]
        hit = self._recall((kind, id(one)), one)
        if hit is not None and hit[0] == name:
            kept: dict[Any, Any] = hit[1]
            return kept
        with paused_gc(promote=True):  # no cycles made: see read_new()
            index = build((g, name) for g in one)
        self._remember((kind, id(one)), one, name, index)
        return index

    def whole(
        self,
        parts: tuple[tuple[str, Ledger], ...],
        params: Mapping[str, Value],
        assume: Mapping[str, Value],
    ) -> tuple[Ledger, LedgerIndex | None]:
        """The earlier grants of ``parts`` as one ledger, checked, and (when all come from
        one ledger value, or there are none) its index.  One grant by several routes counts
        once; a ledger that already pays a one-time award twice or overspends a cap is
        refused before anything is paid on it.

        :raises LedgerError: E328 (a one-time award paid twice), E344 (two awards of an
            exclusive group to one subject), E329 (a cap overspent)."""
        given = [ledger for _, ledger in parts if ledger.grants]
        one = given[0] if len(given) == 1 else None
        # What was made for the same parameters and assumptions (kept as copies: compared,
        # never changed) is what would be made again.
        if one is not None:
            hit = self._recall(("whole", id(one)), one)
            if hit is not None and hit[0] == params and hit[1] == assume:
                return hit[2], hit[3]
        elif not given:  # no earlier grant: checked and indexed once per key
            hit = self._memo.get(("empty", 0))
            if hit is not None and hit[0] == params and hit[1] == assume:
                return hit[2], hit[3]
        with paused_gc(promote=True):  # no cycles made: see read_new()
            merged = merge_ledgers(*parts)
            if one is None or not self._vouched(one):  # else read here: no E328, E344 in it
                check_once(self._checked, *parts)
                check_exclusive(self._checked, *parts)
            check_caps(self._compiled, merged, params, assume)
            if one is None and given:
                return merged, None
            index = index_ledger(self._compiled, merged)  # read-only: shared by the runs
        key = (dict(params), dict(assume))
        if one is None:  # an empty ledger passes the checks again: kept
            self._memo[("empty", 0)] = (*key, merged, index)
        else:
            self._remember(("whole", id(one)), one, *key, merged, index)
        return merged, index
