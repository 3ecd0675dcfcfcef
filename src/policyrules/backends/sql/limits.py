"""A limit per owner in the SQL batch: ``limit N per E [per year of D]`` (单个企业每年奖励人数
不超过 N 人), as :mod:`policyrules.backends.python.limits` decides it one claim at a time.

The claims of an owner (and year) are served in the award's claim order (``order by``, an
unknown key first, then the path in natural order).  Each claim the limit reads (its
conditions not failed, not paid once already) is, before the limit, *paid* (exact, above
0.00 元), *may be* (unknown, undecided, or an amount not exact and not 0.00 元) or neither.
The ledger's subjects paid under the award (above 0.00 元) take ``L`` places of their owner
in the year of their first payment.  Served in order, a claim meets ``K`` (the places taken
or held before it) and ``T`` (those taken), and is:

* within (its own decision) while K < N, or always when it was paid before (the ledger);
* not eligible when T ≥ N, its line in ``binding_caps`` as the Chinese text says it;
* else unknown, needing what the claims holding places need (the held ones' missing names).

K has a closed form: until K first reaches N, each claim adds its own class (paid or may
be: 1), after it K never falls below N.  So K = L + the paid-or-may-be claims before it
(those of unknown year in every year of their owner), and T = L + the paid claims before it
that met K < N (or were paid before): two windows.  A claim of unknown year is unknown,
needing the year's facts, and holds a place in every year of its owner.

Shapes the batch does not compile (E650, named): a cap whose room depends on other claims
(its owner's, or a shared pool's: who is paid would depend on the limit and the limit on who
is paid), a range, minimum, rounding or raised cap, a quota, an exclusive group or a
supersession, and N a parameter with no whole value in the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs

from ... import syntax as s
from ...check_limits import limit_of
from ...errors import Diagnostic
from ...model import CheckedPolicy, EntityInfo, ProvisionInfo
from ...runtime.values import Value
from .plan import ONE_BY_ONE, BatchCompileError
from .rows import chain_of

__all__ = ["LIMIT_STATES", "NAMED", "LimitPlan", "limit_plan", "refuse_fixed", "refuse_limit"]

NAMED = 5  # the subjects a refusal names at most (as backends/python/limits.py)
LIMIT_STATES = {"within": 0, "refused": 1, "held_out": 2, "no_year": 3, "undecided": 4}
"""``lst``: what the limit did to a claim (``held_out``: unknown, kept out by held places;
``no_year``: its year unknown; ``undecided``: its year undecided, holding nothing)."""


@attrs.frozen
class LimitPlan:
    """The limit of one award: N, the owner's entities (the subject's chain down to
    ``per``), whether it counts per year, and its words (``每个企业每年…``)."""

    limit: s.Limit
    count: int
    owner: tuple[EntityInfo, ...]
    subject: EntityInfo
    year_kind: str | None  # "date" or "year" when per year of D

    @property
    def by_year(self) -> bool:
        return self.year_kind is not None


def _shape(checked: CheckedPolicy, p: ProvisionInfo, n: object) -> str | None:
    """What of ``p``'s shape the batch cannot compile with a limit, or None."""
    chain = chain_of(checked, p.subject)
    if isinstance(n, str):
        return f"N the parameter `{n}` with no whole value of at least 1 in the run"
    for cap in p.caps:
        depth = max((k for k, e in enumerate(chain) if e.name in cap.per), default=len(chain))
        if cap.shared or (cap.per and depth < len(chain) - 1):
            return f"a cap whose room depends on other claims (`cap … per {' '.join(cap.per)}`)"
    if p.bounded or any(c.exceptions for c in p.caps):
        return "a range, minimum, rounding or raised cap"
    if p.quota is not None:
        return "a quota"
    if p.id in checked.exclusivity.bound():
        return "an exclusive group"
    return None


def _count(lim: s.Limit, params: Mapping[str, Value]) -> int | str:
    if isinstance(lim.count, int):
        return lim.count
    n = params.get(lim.count)
    if isinstance(n, Decimal) and n == n.to_integral_value() and n >= 1:
        return int(n)
    return lim.count


def _refusal(p: ProvisionInfo, lim: s.Limit, what: str) -> BatchCompileError:
    return BatchCompileError(
        Diagnostic(
            "E650",
            f"{p.id}: `limit {lim.count} per {lim.per}` (at most {lim.count} subjects paid "
            f"per owner) with {what} cannot be compiled to SQL yet",
            lim.span,
            hint=f"{ONE_BY_ONE}, which counts each firm's claims against the limit",
        )
    )


def refuse_limit(
    checked: CheckedPolicy, p: ProvisionInfo, params: Mapping[str, Value] | None = None
) -> None:
    """:raises BatchCompileError: (E650) if ``p`` limits how many subjects it pays per
    owner in a shape the batch does not compile (see the module)."""
    lim = limit_of(p)
    if lim is None:
        return
    what = _shape(checked, p, _count(lim, params or {}))
    if what is not None:
        raise _refusal(p, lim, what)


def limit_plan(
    checked: CheckedPolicy, p: ProvisionInfo, params: Mapping[str, Value], year_kind: str | None
) -> LimitPlan | None:
    """The limit of award ``p`` as the batch compiles it (``refuse_limit`` passed), or
    None; ``year_kind`` the kind of its year's value (``date`` or ``year``)."""
    lim = limit_of(p)
    if lim is None:
        return None
    n = _count(lim, params)
    assert isinstance(n, int)  # refuse_limit refused a parameter with no whole value
    chain = chain_of(checked, p.subject)
    depth = next(i for i, e in enumerate(chain) if e.name == lim.per)
    kind = None if lim.year_of is None else year_kind
    return LimitPlan(lim, n, chain[: depth + 1], chain[-1], kind)


def refuse_fixed(p: ProvisionInfo) -> None:
    """:raises BatchCompileError: (E650) for a limit on an award a later document
    supersedes (its claims' verdict fixed for the batch's as_of)."""
    lim = limit_of(p)
    if lim is not None:
        raise _refusal(p, lim, "a supersession")
