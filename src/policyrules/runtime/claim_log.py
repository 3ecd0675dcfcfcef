"""Claim logs: what each cap account took in one evaluation, in order.

A :class:`ClaimLog` is one account's (pool, scope, year) append-only record; an
:class:`Earlier` is a view of its first claims, for one claim's explanation, in O(1).
:class:`ClaimLogs` holds an evaluation's logs by account and counts a claim whose year is
unknown in every year's log of its pool and scope (issue 9: such a claim may fall in any
year, so it holds its bound in each, and no claim of any year is exact while it could take
that claim's room).  What a log says of its claims (their texts, a total's bound) is
:class:`~policyrules.runtime.claim_texts.ClaimTexts`, a base of :class:`ClaimLog`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, overload

from .claim_texts import AT_MOST_ZH, UNKNOWN_ZH, ClaimTexts
from .holds import Hold
from .money import Money, _of_fen

__all__ = [
    "NO_EARLIER",
    "OPEN_FEN",
    "ClaimLog",
    "ClaimLogs",
    "Earlier",
    "ScopeKey",
    "as_earlier",
]

# (cap pool, scope path from the firm down, year; None: a cap not counted per year)
ScopeKey = tuple[str, tuple[tuple[str, str], ...], int | None]
_PoolScope = tuple[str, tuple[tuple[str, str], ...]]

OPEN_FEN = 10**30
"""What an undecided claim no cap bounds holds (its amount unknown, every limit it is under
unknown): more than any limit, so no later claim under the same cap is ever exact on it."""


class ClaimLog(ClaimTexts):
    """The claims one cap account (pool, scope, year) took in this evaluation, in order.

    Append-only: a claim adds its subject (``f1/P2``) and amount; ``totals[k]`` is the
    fen of the first ``k`` claims, so a view of the first ``k`` (:class:`Earlier`) needs no
    copy and knows its total at once.  ``certain`` and ``possible`` are the fen of the
    exact grants and of the upper bounds of undecided claims among them; ``held`` names
    the provision of each undecided claim and why it is not settled (:class:`Hold`).

    A claim is an entry or several: a schedule's later payments in an account over all
    years are joined to its first (:meth:`join`, :meth:`claim_count`, :meth:`claim_texts`)."""

    __slots__ = (
        "amounts",
        "certain",
        "claims",
        "held",
        "more",
        "opened",
        "possible",
        "shown",
        "subjects",
        "totals",
    )
    # (subject, provision) -> place in ``held`` of its first entry, and the distinct claims
    # of each prefix of ``held``: made by :meth:`held_claims` when first asked
    claims: tuple[dict[tuple[str, str], int], list[int]]

    def __init__(self) -> None:
        self.subjects: list[str] = []
        self.amounts: list[int] = []  # fen
        self.totals: list[int] = [0]
        self.certain = 0
        self.possible = 0
        # (claim number, provision, why) of each undecided claim above 0 that says who it
        # is, in order (:class:`Hold`)
        self.held: list[tuple[int, str, str]] = []
        # claim number -> ``f1/P2 150 万元``, made when a view first describes it: each
        # claim is shown by the next few views, its text made once (not one holding OPEN_FEN)
        self.shown: dict[int, str] = {}
        # claim numbers of the claims holding OPEN_FEN (listed as 0.00 元 taken)
        self.opened: set[int] = set()
        # the numbers of the entries that continue the claim of the entry before them
        # (:meth:`join`), in order; () where there are none (most logs)
        self.more: list[int] | tuple[()] = ()

    def __len__(self) -> int:
        return len(self.subjects)

    def append(
        self, subject: str, fen: int, certain: bool = True, held: tuple[str, str] | None = None
    ) -> None:
        """Add a claim; ``held``: (provision, why) of an undecided one (:class:`Hold`)."""
        self.subjects.append(subject)
        self.amounts.append(fen)
        self.totals.append(self.totals[-1] + fen)
        if certain:
            self.certain += fen
        else:
            self.possible += fen
            if held is not None and fen:
                self.held.append((len(self.amounts) - 1, *held))

    def append_open(self, subject: str, held: tuple[str, str]) -> None:
        """Add an undecided claim whose amount nothing bounds: it takes nothing, and holds
        :data:`OPEN_FEN` (its :class:`Hold` amount ``None``)."""
        k = len(self.amounts)
        self.subjects.append(subject)
        self.amounts.append(0)
        self.totals.append(self.totals[-1])
        self.possible += OPEN_FEN
        self.held.append((k, *held))
        self.opened.add(k)

    def join(self) -> None:
        """The entry just appended continues the claim of the entry before it: the next
        payment of one schedule in this account (not a claim of its own)."""
        more = self.more
        if isinstance(more, tuple):
            more = self.more = []
        more.append(len(self.subjects) - 1)

    def held_claims(self) -> tuple[dict[tuple[str, str], int], list[int]]:
        """The undecided claims holding room, each (subject, provision) once: the place in
        ``held`` where each first holds room, and how many distinct ones the first ``i``
        entries of ``held`` are (``[i]``).  Made when first asked and brought up to date
        from where it stopped, so each entry is read once however often it is asked."""
        try:
            first, counts = self.claims
        except AttributeError:  # never asked: most logs
            first, counts = self.claims = ({}, [0])
        held, subjects = self.held, self.subjects
        for i in range(len(counts) - 1, len(held)):
            k, pid, _ = held[i]
            first.setdefault((subjects[k], pid), i)
            counts.append(len(first))
        return first, counts

    def view(self) -> Earlier:
        """The claims so far; later claims do not change the view (cut against one limit:
        :meth:`Earlier.under`)."""
        return Earlier(self, len(self.subjects))


class Earlier(Sequence[tuple[str, Money]]):
    """The first ``stop`` claims of a :class:`ClaimLog`: (subject, amount) pairs, in order.

    What a cap's account held before one claim: a reference and a count, not a copy, so
    each claim costs the same however many came before.  Compares equal to a tuple of the
    same pairs.  :meth:`describe` gives the bounded form an explanation shows."""

    __slots__ = ("_ceiling", "_log", "_shown", "_stop")

    def __init__(self, log: ClaimLog, stop: int, ceiling: int | None = None) -> None:
        self._log = log
        self._stop = stop
        self._ceiling = ceiling  # the one limit the account's claims are cut against, fen
        self._shown: str | None = None  # describe() once made (a trace and a text show it)

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, Money]]) -> Earlier:
        """A view holding ``pairs``; an :class:`Earlier` is returned as it is."""
        if isinstance(pairs, Earlier):
            return pairs
        log = ClaimLog()
        for subject, amount in pairs:
            log.append(subject, amount.fen)
        return log.view()

    def __len__(self) -> int:
        return self._stop

    @overload
    def __getitem__(self, i: int) -> tuple[str, Money]: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[tuple[str, Money], ...]: ...

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return tuple(self[k] for k in range(*i.indices(self._stop)))
        if i < 0:
            i += self._stop
        if not 0 <= i < self._stop:
            raise IndexError("Earlier index out of range")
        return (self._log.subjects[i], _of_fen(self._log.amounts[i]))

    def __iter__(self) -> Iterator[tuple[str, Money]]:
        log, stop = self._log, self._stop
        return zip(islice(log.subjects, stop), map(_of_fen, islice(log.amounts, stop)), strict=True)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Earlier | tuple | list):
            return len(self) == len(other) and tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Earlier({tuple(self)!r})"

    @property
    def total(self) -> Money:
        """The sum of the amounts, in fen."""
        return _of_fen(self._log.totals[self._stop])

    def total_at_most(self) -> bool:
        """Whether :attr:`total` is an upper bound (:meth:`ClaimLog.total_at_most`)."""
        return self._log.total_at_most(self._stop)

    def bounded(self) -> int | None:
        """The cap's limit in fen where it bounds these claims' total more tightly than the
        sum of their bounds (:meth:`ClaimLog.bounded`); ``None`` otherwise."""
        return self._log.bounded(self._stop, self._ceiling)

    def under(self, ceiling: int | None) -> Earlier:
        """This view, its claims cut against the one limit ``ceiling`` (fen; ``None``: not
        known to be one); itself where that changes nothing said."""
        if ceiling is None or self._log.bounded(self._stop, ceiling) is None:
            return self
        return Earlier(self._log, self._stop, ceiling)

    def last(self, k: int = 3) -> tuple[tuple[str, Money], ...]:
        """The last ``k`` pairs (all of them when there are ``k`` or fewer)."""
        log, stop = self._log, self._stop
        start = max(stop - k, 0)
        return tuple(
            zip(log.subjects[start:stop], map(_of_fen, log.amounts[start:stop]), strict=True)
        )

    def last_claims(self, k: int = 3) -> tuple[tuple[str, Money], ...]:
        """The last ``k`` claims as (subject, amount) pairs (:meth:`last` where no
        schedule's payments are joined): a schedule's payments one claim, with their sum
        (:meth:`ClaimLog.claim_runs`), so one claim's payments never fill the list."""
        return tuple((s, _of_fen(fen)) for s, fen in self.last_claims_fen(k))

    def last_claims_fen(self, k: int = 3) -> list[tuple[str, int]]:
        """:meth:`last_claims` with each amount in fen."""
        log, stop = self._log, self._stop
        subjects = log.subjects
        more = log.more
        if not more or more[0] >= stop:
            start = max(stop - k, 0)
            return list(zip(subjects[start:stop], log.amounts[start:stop], strict=True))
        totals = log.totals
        return [
            (subjects[start], totals[end] - totals[start]) for start, end in log.claim_runs(stop, k)
        ]

    def pairs_fen(self) -> list[tuple[str, int]]:
        """Every (subject, amount) pair, each amount in fen."""
        log, stop = self._log, self._stop
        return list(zip(log.subjects[:stop], log.amounts[:stop], strict=True))

    @property
    def total_fen(self) -> int:
        """:attr:`total` in fen."""
        return self._log.totals[self._stop]

    def last_texts(self, k: int = 3) -> tuple[str, ...]:
        """``f1/P2 150 万元`` for each of the last ``k`` claims (``f1/P3 金额未知`` for one
        holding an amount nothing bounds, ``f1/P4 至多 80 万元`` for an undecided one), a
        schedule's payments as one claim (:meth:`ClaimLog.claim_texts`)."""
        log, stop = self._log, self._stop
        if log.more:
            return tuple(log.claim_texts(stop, k, UNKNOWN_ZH, AT_MOST_ZH))
        return tuple(log.texts(max(stop - k, 0), stop, UNKNOWN_ZH, AT_MOST_ZH))

    def claim_count(self) -> int:
        """How many claims these entries are: a schedule's payments one claim
        (:meth:`ClaimLog.claim_count`); ``len()`` counts the entries."""
        more, stop = self._log.more, self._stop
        return stop - bisect_left(more, stop) if more else stop

    def hold_count(self) -> int:
        """How many of these entries are undecided claims holding room (:meth:`held_claims`
        counts each claim once)."""
        return bisect_left(self._log.held, (self._stop,))

    def held_claims(self) -> tuple[int, int, dict[tuple[str, str], int]]:
        """The undecided claims among these holding room, each (subject, provision) once
        (one may hold room more than once: a schedule's payments in an account over all
        years): how many, :meth:`hold_count`, and where each first holds room
        (:meth:`ClaimLog.held_claims`; it is among these where below :meth:`hold_count`)."""
        n = self.hold_count()
        first, counts = self._log.held_claims()
        return counts[n], n, first

    def claims_held(self) -> int:
        """How many undecided claims among these hold room, each once (:meth:`held_claims`;
        0 at once where none does)."""
        return self.held_claims()[0] if self.hold_count() else 0

    def holds(self, last: int = 3, other_than: tuple[str, str] | None = None) -> tuple[Hold, ...]:
        """The last ``last`` undecided claims among these that hold room, in order, each
        (subject, provision) once: one holding room in several entries (a schedule's
        payments in an account over all years, which come one after another) with their
        sum (``None`` where one is unbounded) and the reason of its last; ``other_than``
        (subject, provision) not among them (a schedule's own earlier payments).  Read back
        from the last entry to the first of a claim not named."""
        log = self._log
        i = self.hold_count()
        found: dict[tuple[str, str], list[Any]] = {}
        held, subjects, amounts, opened = log.held, log.subjects, log.amounts, log.opened
        while i:
            i -= 1
            k, pid, why = held[i]
            key = (subjects[k], pid)
            if key == other_than:
                continue
            got = found.get(key)
            fen = None if k in opened else amounts[k]
            if got is None:
                if len(found) == last:
                    break
                found[key] = [why, fen]
            elif got[1] is not None:
                got[1] = None if fen is None else got[1] + fen
        return tuple(
            Hold(s, pid, why, None if fen is None else _of_fen(fen))
            for (s, pid), (why, fen) in reversed(found.items())
        )

    def describe(self, last: int = 3) -> str:
        """``f1/P1 200 万元, f1/P2 150 万元`` for up to ``last`` claims; beyond that a count,
        the total and the last few: ``12 claims, 1500 万元 in all; the last 3: ...``; an
        undecided claim's amount and a total holding one are bounds: ``up to 80 万元``, the
        cap's limit where the bounds add up to more (:meth:`bounded`).  A schedule's
        payments (in an account over all years) are one claim, said with their sum, and the
        payments are said where more than the claims: ``7 claims (21 payments), ...``."""
        if last == 3 and self._shown is not None:
            return self._shown
        shown = self._log.describe(self._stop, last, self._ceiling)
        if last == 3:
            self._shown = shown
        return shown


NO_EARLIER = ClaimLog().view()


def as_earlier(pairs: Iterable[tuple[str, Money]]) -> Earlier:
    """``pairs`` as an :class:`Earlier` (a converter for fields holding one)."""
    return Earlier.of(pairs)


class ClaimLogs(dict[ScopeKey, ClaimLog]):
    """An evaluation's claim logs by account (a dict), and the claims whose year is unknown.

    A claim under a cap ``per … per year of <date>`` whose date is missing may count in any
    year: :meth:`hold_any_year` counts its bound, undecided, in every year's log of its pool
    and scope made so far, and :meth:`new` starts every later one with it.  Logs are made
    only by :meth:`new` (through :meth:`log`, or after a look-up in generated code), so none
    misses such a hold."""

    __slots__ = ("any_year", "once", "years")

    def __init__(self) -> None:  # (empty as made: dict.__init__ given nothing does nothing)
        # (pool, scope) -> the logs of its years, in the order they were made
        self.years: dict[_PoolScope, list[ClaimLog]] = {}
        # (pool, scope) -> (subject, fen (None: open), (provision, why)) of each claim of
        # unknown year
        self.any_year: dict[_PoolScope, list[tuple[str, int | None, tuple[str, str]]]] = {}
        # (provision, owner's path) -> the earlier undecided claim that may take its one-time
        # (一次性) award: a later claim of the owner is at most, not granted
        self.once: dict[tuple[str, tuple[tuple[str, str], ...]], Hold] = {}

    def new(self, key: ScopeKey) -> ClaimLog:
        """A new, empty log for ``key`` (not yet in the dict), holding the claims of
        unknown year of its pool and scope when ``key`` has a year."""
        log = self[key] = ClaimLog()
        if key[2] is not None:
            ps = (key[0], key[1])
            self.years.setdefault(ps, []).append(log)
            for subject, fen, held in self.any_year.get(ps, ()):
                _hold(log, subject, fen, held)
        return log

    def log(self, key: ScopeKey) -> ClaimLog:
        """The log of ``key``: the one made before, or a new one (:meth:`new`)."""
        log = self.get(key)
        return self.new(key) if log is None else log

    def hold_any_year(
        self,
        pool: str,
        scope: tuple[tuple[str, str], ...],
        subject: str,
        fen: int | None,
        held: tuple[str, str],
    ) -> None:
        """Count an undecided claim whose year is unknown in every year of ``pool`` and
        ``scope``: its bound ``fen`` (``None``: unbounded, :data:`OPEN_FEN`) as pending in
        each year's log, those made later too."""
        ps = (pool, scope)
        self.any_year.setdefault(ps, []).append((subject, fen, held))
        for log in self.years.get(ps, ()):
            _hold(log, subject, fen, held)


def _hold(log: ClaimLog, subject: str, fen: int | None, held: tuple[str, str]) -> None:
    if fen is None:
        log.append_open(subject, held)
    else:
        log.append(subject, fen, False, held)
