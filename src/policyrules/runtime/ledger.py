"""The ledger: grants already made, which caps count against.

A :class:`Ledger` holds the grants made before an evaluation (each a :class:`Grant`, of
:mod:`policyrules.runtime.grants`, re-exported here with :class:`Grants`) and the readings
they were counted by.  :class:`Accounts` sums grants per cap pool and scope while an
evaluation adds its own, so every cap sees earlier grants and earlier claims.

Both value classes check themselves however they are built (from a file, a store or in
Python): a grant names a provision, a path from the firm down, an amount of at least 0.00 元
and a year in 1..9999 or none; a ledger never lists the same payment (a grant above
0.00 元 with the same :attr:`Grant.identity`) twice.  A grant of 0.00 元 is not a payment:
it counts 0 toward caps and does not use up a one-time (一次性) award.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from ..errors import Diagnostic, LedgerError
from .bases import Basis, to_bases
from .claim_log import NO_EARLIER, ClaimLog, ClaimLogs, Earlier, ScopeKey, as_earlier
from .grants import Counted, Grant, GrantPath, GrantRow, Grants, grant_error
from .holds import Hold
from .money import Money

_set = object.__setattr__

__all__ = [
    "NO_EARLIER",
    "Accounts",
    "ClaimLog",
    "ClaimLogs",
    "Earlier",
    "Grant",
    "GrantPath",
    "GrantRow",
    "Grants",
    "Ledger",
    "LedgerIndex",
    "ScopeKey",
    "as_earlier",
]


def _to_grants(raw: Iterable[Grant]) -> tuple[Grant, ...]:
    grants = tuple(raw)
    seen: set[tuple[str, GrantPath, int | None, str | None]] = set()
    for g in grants:
        if not isinstance(g, Grant):
            raise grant_error(f"a ledger holds Grant values, not {type(g).__name__}")
        if not g.amount:
            continue  # 0.00 元 pays nothing: only payments must be unique
        if g.identity in seen:
            raise LedgerError(
                Diagnostic(
                    "E326",
                    f"the grant {g.describe()} is listed twice",
                    hint="a grant is recorded once; remove the copy",
                )
            )
        seen.add(g.identity)
    return grants


@attrs.frozen(init=False)
class Ledger(Counted):
    """Grants made before this evaluation, in the order they were recorded, and the
    readings they were counted by.

    ``bases`` holds (provision, assumption, value) for each assumption the decisions that
    made a provision's grants used (``("…/launch_reward", "annual_cap_year", "approval")``),
    sorted; a provision with grants and no entry was counted by the assumption's default.
    ``grants`` given as a :class:`Ledger` or as a result's
    :class:`~policyrules.runtime.ledger.Grants` bring their bases too (with ``bases``,
    merged): ``Ledger(result.grants)`` keeps the result's reading.

    :raises LedgerError: (E326) if two grants above 0.00 元 have the same
        :attr:`Grant.identity`; (E327) a basis that is not three non-empty texts; (E335)
        two values of one assumption for one provision.
    """

    grants: tuple[Grant, ...] = attrs.field(converter=_to_grants)
    bases: tuple[Basis, ...] = attrs.field(converter=to_bases)

    def __init__(self, grants: Iterable[Grant] = (), *, bases: Iterable[Any] = ()) -> None:
        said = grants.bases if isinstance(grants, Ledger | Grants) else ()
        self.__attrs_init__(grants, (*said, *to_bases(bases)))  # E335: two values

    @classmethod
    def trusted(cls, grants: tuple[Grant, ...], bases: Iterable[Any] = ()) -> Ledger:
        """A ledger of ``grants`` the caller has checked as ``Ledger(grants, bases=bases)``
        would (Grant values, no payment listed twice: a reader's, or a part of a ledger):
        built without checking them again (the same value).  ``bases`` are checked.

        :raises LedgerError: E327 for a malformed basis; E335 for two values of one."""
        made = cls.__new__(cls)
        _set(made, "grants", grants)
        _set(made, "bases", to_bases(bases))
        return made

    def __iter__(self) -> Iterator[Grant]:
        return iter(self.grants)

    def __len__(self) -> int:
        return len(self.grants)

    def with_grants(self, more: Iterable[Grant], bases: Iterable[Any] = ()) -> Ledger:
        """This ledger plus ``more`` (what a result adds), with this ledger's bases, the
        bases of ``more`` when it is a :class:`Ledger` or a result's grants
        (:class:`~policyrules.runtime.ledger.Grants`: the readings they were counted by) and
        ``bases`` (triples, as for ``Ledger``).  Grants built by hand, with no basis for
        their provision, are taken as counted by the assumptions' defaults.

        :raises LedgerError: E326 if a grant is already here; E327 for a malformed basis;
            E335 if two of these give one provision's assumption two values.
        """
        said = more.bases if isinstance(more, Ledger | Grants) else ()
        return Ledger((*self.grants, *more), bases=(*self.bases, *said, *to_bases(bases)))

    def total(self) -> Money:
        """The sum of the amounts, in fen."""
        return Money(sum(g.amount.fen for g in self.grants))


class LedgerIndex:
    """The earlier grants of a ledger summed once, for look-ups in O(1): per cap pool, scope
    (each prefix of a grant's path) and year (``None``: all years), per provision and
    subject (an entitlement), and the one-time awards already paid.  Read-only once built,
    so one index serves every evaluation on the same ledger."""

    def __init__(self, ledger: Ledger, pools: Mapping[str, frozenset[str]]) -> None:
        # pools maps provision id -> the pools its caps count in (itself, and any shared).
        self.pools = pools
        self.ledger = ledger
        self.used: dict[ScopeKey, int] = defaultdict(int)
        self.granted: dict[tuple[str, GrantPath], int] = defaultdict(int)
        # (provision, path from the firm down to the entity): ids are unique only per owner.
        self.paid: set[tuple[str, GrantPath]] = set()
        # The tiers paid per (provision, subject's path); None for a grant that names none.
        self.tiers: dict[tuple[str, GrantPath], list[str | None]] = defaultdict(list)
        used, granted, paid, tiers = self.used, self.granted, self.paid, self.tiers
        pools_of = pools.get
        for g in ledger.grants:  # one pass, plain ints: read once per grant (issue 10)
            provision, path, fen, year = g.provision, g.path, g.amount.fen, g.year
            own = (provision, path)
            if fen:
                tiers[own].append(g.tier)
            in_pools = pools_of(provision) or (provision,)
            deepest = len(path)
            for depth in range(1, deepest + 1):
                scope = path if depth == deepest else path[:depth]  # the grant's own: shared
                for pool in in_pools:
                    used[(pool, scope, None)] += fen
                    if year is not None:
                        used[(pool, scope, year)] += fen
                if fen:  # 0.00 元 is not a payment: a one-time award stays open
                    paid.add(own if depth == deepest else (provision, scope))
            granted[own] += fen


class Accounts:
    """Running totals per (pool, scope path, year), from the ledger and this evaluation.

    Every total is kept under its key as grants and claims come in: a claim looks up its
    cap's account in O(1), whatever the number of earlier grants or claims.  The ledger's
    part is a :class:`LedgerIndex` (built here, or shared); this evaluation's own grants
    are kept beside it, so the index is never changed."""

    def __init__(self, ledger: Ledger | LedgerIndex, pools: Mapping[str, frozenset[str]]) -> None:
        index = ledger if isinstance(ledger, LedgerIndex) else LedgerIndex(ledger, pools)
        self._pools = pools
        self._index = index
        self._used = index.used
        self._by = ClaimLogs()
        # What each subject was granted under each provision in this evaluation (the
        # ledger's part is in the index): its entitlement is the award's amount, so
        # earlier grants count against it.
        self._granted: dict[tuple[str, GrantPath], int] = defaultdict(int)
        self._paid: set[tuple[str, GrantPath]] = set()
        self._ledger_first: dict[tuple[str, GrantPath], int] | None = None

    def first_year(self, pool: str, scope: GrantPath) -> int | None:
        """The earliest year holding a grant (the ledger's, or an exact one of this
        evaluation) in ``pool`` for ``scope``, or ``None``: year 1 of a cap ``over N years
        from first grant``.  The ledger's part is indexed once; this evaluation's accounts
        are scanned (only such caps ask)."""
        if self._ledger_first is None:
            self._ledger_first = {}
            for (p, s, y), fen in self._used.items():
                if y is not None and fen > 0:
                    k = (p, s)
                    self._ledger_first[k] = min(y, self._ledger_first.get(k, y))
        known = [
            y
            for (p, s, y), log in self._by.items()
            if y is not None and (p, s) == (pool, scope) and log.certain > 0
        ]
        first = self._ledger_first.get((pool, scope))
        return min([*known, *([first] if first is not None else [])], default=None)

    def pools_of(self, provision: str) -> frozenset[str]:
        return self._pools.get(provision) or frozenset((provision,))

    def used(self, pool: str, scope: tuple[tuple[str, str], ...], year: int | None) -> Money:
        """Grants in the ledger (made before this evaluation) in this pool, scope and year
        (``None``: any year)."""
        return Money(self._used.get((pool, scope, year), 0))

    def granted_now(self, pool: str, scope: tuple[tuple[str, str], ...], year: int | None) -> Money:
        """Exact grants made earlier in this evaluation, same pool and scope."""
        log = self._log((pool, scope, year))
        return Money(log.certain) if log else Money.zero()

    def pending(self, pool: str, scope: tuple[tuple[str, str], ...], year: int | None) -> Money:
        """Upper bounds of undecided claims earlier in this evaluation, same pool and scope."""
        log = self._log((pool, scope, year))
        return Money(log.possible) if log else Money.zero()

    def claims(self, pool: str, scope: tuple[tuple[str, str], ...], year: int | None) -> Earlier:
        """(subject, amount) of the claims earlier in this evaluation, certain or not: a
        view, not a copy."""
        log = self._log((pool, scope, year))
        return NO_EARLIER if log is None else log.view()

    def _log(self, key: ScopeKey) -> ClaimLog | None:
        """The log of ``key``, or ``None``: made now (holding them) when a claim of unknown
        year holds room in every year of its pool and scope (ClaimLogs.new)."""
        log = self._by.get(key)
        any_year = self._by.any_year
        if log is None and any_year and key[2] is not None and (key[0], key[1]) in any_year:
            log = self._by.new(key)
        return log

    def account(self, key: ScopeKey) -> tuple[int, int, int, Earlier]:
        """All a cap needs of its account, in one look-up: the fen of the ledger's grants,
        of this evaluation's exact grants and of its undecided claims' bounds, and the
        view of its earlier claims."""
        used = self._used.get(key, 0)
        log = self._log(key)
        if log is None:
            return used, 0, 0, NO_EARLIER
        return used, log.certain, log.possible, log.view()

    def account_fen(self, key: ScopeKey) -> tuple[int, int, int]:
        """:meth:`account` without the view of its earlier claims: the fen of the ledger's
        grants, of this evaluation's exact grants and of its undecided claims' bounds."""
        used = self._used.get(key, 0)
        log = self._log(key)
        return (used, 0, 0) if log is None else (used, log.certain, log.possible)

    def add(
        self,
        key: ScopeKey,
        subject: str,
        amount: Money,
        certain: bool,
        held: tuple[str, str] | None = None,
        joined: bool = False,
    ) -> None:
        """Count a claim in an account; ``held``: see :meth:`ClaimLog.append`; ``joined``:
        the next payment of the schedule counted last in it (:meth:`ClaimLog.join`)."""
        log = self._by.log(key)
        log.append(subject, amount.fen, certain, held)
        if joined:
            log.join()

    def hold_any_year(
        self,
        pool: str,
        scope: GrantPath,
        subject: str,
        amount: Money | None,
        held: tuple[str, str],
    ) -> None:
        """Count an undecided claim whose year under a cap of ``pool`` and ``scope`` is
        unknown in every year's account of them (:meth:`ClaimLogs.hold_any_year`);
        ``amount`` ``None``: nothing bounds it."""
        self.hold_any_year_fen(pool, scope, subject, None if amount is None else amount.fen, held)

    def hold_any_year_fen(
        self, pool: str, scope: GrantPath, subject: str, fen: int | None, held: tuple[str, str]
    ) -> None:
        """:meth:`hold_any_year` of a bound in fen (``None``: nothing bounds it)."""
        if fen is None or fen:
            self._by.hold_any_year(pool, scope, subject, fen, held)

    def hold_once(self, provision: str, scope: GrantPath, hold: Hold) -> None:
        """An undecided claim (``hold``) may take the one-time award of ``provision`` for the
        owner at ``scope``: a later claim of that owner is at most, and not granted.  The
        first such claim is kept."""
        self._by.once.setdefault((provision, scope), hold)

    def once_holder(self, provision: str, scope: GrantPath) -> Hold | None:
        """The earlier undecided claim holding the one-time award of ``provision`` for the
        owner at ``scope``, if any (:meth:`hold_once`)."""
        once = self._by.once
        return once.get((provision, scope)) if once else None

    def hold_open(self, key: ScopeKey, subject: str, held: tuple[str, str]) -> None:
        """Count an undecided claim that nothing bounds in an account: no later claim
        under it is exact (:meth:`ClaimLog.append_open`)."""
        self._by.log(key).append_open(subject, held)

    def account_log(self, key: ScopeKey) -> tuple[int, ClaimLog]:
        """:meth:`account` without the view: the ledger's fen and this evaluation's log of
        the account (an empty one is made for a new account), to append to in place."""
        return self._used.get(key, 0), self._by.log(key)

    def granted_to(self, provision: str, path: GrantPath) -> Money:
        """What ``provision`` granted the subject at ``path`` before (any year), in the
        ledger and earlier in this evaluation."""
        key = (provision, path)
        return Money(self._index.granted.get(key, 0) + self._granted.get(key, 0))

    def ledger_grants(self) -> tuple[Grant, ...]:
        """The ledger's grants themselves (a ``limit`` counts the subjects they paid)."""
        return self._index.ledger.grants

    def tiers_paid(self, provision: str, path: GrantPath) -> list[str | None]:
        """The tiers the ledger's payments under ``provision`` to ``path`` name (None for
        a payment that names none), in the ledger's order."""
        return list(self._index.tiers.get((provision, path), ()))

    def grant(self, provision: str, path: GrantPath, amount: Money) -> None:
        """Count a grant made in this evaluation toward the subject's entitlement."""
        self._granted[(provision, path)] += amount.fen

    def granted_fen(self, provision: str, path: GrantPath) -> int:
        """:meth:`granted_to` in fen."""
        key = (provision, path)
        return self._index.granted.get(key, 0) + self._granted.get(key, 0)

    def grant_fen(self, provision: str, path: GrantPath, fen: int) -> None:
        """:meth:`grant`, the amount in fen."""
        self._granted[(provision, path)] += fen

    def tables(self) -> tuple[Any, ...]:
        """The running totals themselves, for generated code that updates them in place
        (:mod:`policyrules.backends.python.fused`): the claim logs by account, the
        ledger's fen by account, the fen granted per (provision, path) in the ledger and in
        this evaluation, the (provision, path) one-time awards paid in the ledger and in
        this evaluation."""
        index = self._index
        return self._by, self._used, index.granted, self._granted, index.paid, self._paid

    def paid_before(self, provision: str, path: tuple[tuple[str, str], ...]) -> bool:
        """Whether a one-time provision already paid the entity at ``path`` (一次性)."""
        key = (provision, path)
        return key in self._paid or key in self._index.paid

    def mark_paid(self, provision: str, path: tuple[tuple[str, str], ...]) -> None:
        self._paid.add((provision, path))
