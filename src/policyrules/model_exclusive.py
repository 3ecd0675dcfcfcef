"""Exclusivity and supersession in the checked policy (issue 11 §6).

What :mod:`policyrules.check_exclusive` makes of ``exclusive``, ``cumulative`` and
``supersedes``, and what the back ends read: award names resolved to provision ids,
clause labels to clause ids, a superseding document's first day found.
"""

from __future__ import annotations

import datetime as dt

import attrs

from .errors import Span

__all__ = ["CumulativeInfo", "ExclusiveGroup", "Exclusivity", "Supersession"]


@attrs.frozen
class ExclusiveGroup:
    """同一项目不重复支持: of the claims of ``awards`` (provision ids, in the order listed)
    for one record of entity ``among``, only one is paid; ``keep`` is ``highest`` (就高)
    or ``listed`` (the first listed that is eligible); ``ties`` is ``listed`` or ``None``.
    ``clause``: the clause id whose text says so; ``quote``: that clause's quote."""

    awards: tuple[str, ...]
    among: str
    keep: str
    ties: str | None
    clause: str
    quote: str | None = None
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class CumulativeInfo:
    """可叠加: ``awards`` may each be paid for the same record, for ``reason``."""

    awards: tuple[str, ...]
    reason: str
    clause: str
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Supersession:
    """此前发布的有关规定与本文不一致的，以此为准: document ``by`` (from ``since``, its first day
    in force) replaces ``document`` whole, or only its clause ``clause`` (a clause id)."""

    by: str
    document: str
    clause: str | None
    since: dt.date
    span: Span | None = attrs.field(default=None, eq=False)

    def covers(self, document: str, clause: str) -> bool:
        """Whether a provision of ``document``'s clause ``clause`` (its id) is replaced."""
        return document == self.document and (self.clause is None or self.clause == clause)


@attrs.frozen
class Exclusivity:
    """Every exclusivity statement of a policy."""

    groups: tuple[ExclusiveGroup, ...] = ()
    cumulative: tuple[CumulativeInfo, ...] = ()
    supersessions: tuple[Supersession, ...] = ()
    # Documents saying `prevails over earlier` (以此为准, naming no document): no effect on
    # any amount; the summary says it and the checker lists what it may concern (W263).
    prevailing: tuple[str, ...] = ()

    def bound(self) -> frozenset[str]:
        """The provision ids an exclusivity rule may change (members of a group); the
        fast path leaves them to the general one."""
        return frozenset(a for g in self.groups for a in g.awards)

    def superseded(self, document: str, clause: str) -> Supersession | None:
        """The supersession that replaces ``document``'s clause ``clause``, if any."""
        return next((x for x in self.supersessions if x.covers(document, clause)), None)

    def __bool__(self) -> bool:
        return bool(self.groups or self.supersessions)
