"""The ledger: grants already made, which caps count against.

A :class:`Grant` says which provision paid how much to which firm, for which product or
project (``path``), counted in which year.  :class:`Accounts` sums grants per cap pool and
scope while an evaluation adds its own, so every cap sees earlier grants and earlier claims.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

import attrs

from .money import Money

__all__ = ["Accounts", "Grant", "Ledger"]


@attrs.frozen
class Grant:
    """One grant: ``path`` is ((entity, id), ...) from the firm down to the subject."""

    provision: str
    path: tuple[tuple[str, str], ...]
    amount: Money
    year: int | None = None

    @property
    def firm(self) -> str:
        return f"{self.path[0][0]}:{self.path[0][1]}" if self.path else ""

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"provision": self.provision}
        out.update({entity: ident for entity, ident in self.path})
        out["amount"] = str(self.amount.yuan)
        if self.year is not None:
            out["year"] = self.year
        return out


@attrs.frozen
class Ledger:
    """Grants made before this evaluation."""

    grants: tuple[Grant, ...] = ()

    def __iter__(self) -> Iterator[Grant]:
        return iter(self.grants)

    def __len__(self) -> int:
        return len(self.grants)

    def with_grants(self, more: Iterable[Grant]) -> Ledger:
        """This ledger plus ``more`` (what a result adds)."""
        return Ledger((*self.grants, *more))


ScopeKey = tuple[str, tuple[tuple[str, str], ...], int | None]


class Accounts:
    """Running totals per (pool, scope path, year), from the ledger and this evaluation."""

    def __init__(self, ledger: Ledger, pools: dict[str, set[str]]) -> None:
        # pools maps provision id -> the pools its caps count in (itself, and any shared).
        self._pools = pools
        self._certain: dict[ScopeKey, Money] = defaultdict(Money.zero)
        self._possible: dict[ScopeKey, Money] = defaultdict(Money.zero)
        self._by: dict[ScopeKey, list[tuple[str, Money, bool]]] = defaultdict(list)
        self._earlier: dict[str, list[Grant]] = defaultdict(list)
        for g in ledger.grants:
            for pool in self.pools_of(g.provision):
                self._earlier[pool].append(g)
        # (provision, path from the firm down to the entity): ids are unique only per owner.
        self._paid: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
        for g in ledger.grants:
            for depth in range(1, len(g.path) + 1):
                self._paid.add((g.provision, g.path[:depth]))

    def pools_of(self, provision: str) -> set[str]:
        return self._pools.get(provision, {provision})

    def used(self, pool: str, scope: tuple[tuple[str, str], ...], year: int | None) -> Money:
        """Grants in the ledger (made before this evaluation) in this pool, scope and year."""
        total = Money.zero()
        for g in self._earlier.get(pool, ()):
            if g.path[: len(scope)] != scope:
                continue
            if year is not None and g.year != year:
                continue
            total = total + g.amount
        return total

    def granted_now(self, pool: str, scope: tuple[tuple[str, str], ...], year: int | None) -> Money:
        """Exact grants made earlier in this evaluation, same pool and scope."""
        return self._certain[(pool, scope, year)]

    def pending(self, pool: str, scope: tuple[tuple[str, str], ...], year: int | None) -> Money:
        """Upper bounds of undecided claims earlier in this evaluation, same pool and scope."""
        return self._possible[(pool, scope, year)]

    def claims(
        self, pool: str, scope: tuple[tuple[str, str], ...], year: int | None
    ) -> list[tuple[str, Money, bool]]:
        """(subject, amount, certain) of claims earlier in this evaluation."""
        return list(self._by[(pool, scope, year)])

    def add(self, key: ScopeKey, subject: str, amount: Money, certain: bool) -> None:
        bucket = self._certain if certain else self._possible
        bucket[key] = bucket[key] + amount
        self._by[key].append((subject, amount, certain))

    def paid_before(self, provision: str, path: tuple[tuple[str, str], ...]) -> bool:
        """Whether a one-time provision already paid the entity at ``path`` (一次性)."""
        return (provision, path) in self._paid

    def mark_paid(self, provision: str, path: tuple[tuple[str, str], ...]) -> None:
        self._paid.add((provision, path))
