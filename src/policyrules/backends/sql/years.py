"""Payments over time in the SQL batch: the shapes compiled (:mod:`.schedules`), the rest
refused by name (E617), never skipped.

Compiled: instalments (``paid over N years from D: R1, …, RN remainder last|first``,
分两年拨付) of an award whose caps all see the entitlement whole and no other claim (the
claim's own, or ``per E`` of its own subject in its own pool), ``once per`` its own subject
too (一次性奖励，分两年拨付: its earlier instalments are its own, not a second award).  Each
year is one grant of that year, the ledger's instalments kept, as
:mod:`policyrules.backends.python.instalments` pays them.

Refused, every shape that applies, each located at the statement that makes it so: a
yearly schedule (``paid yearly for N years``: the amount of each year, ``this_year(x)``) at
the schedule; at each cap, one over a window of years (``over N years``), a yearly cap
(``per year of payment_year()``) or one whose room other claims share (``per E`` above the
subject, or a pool; at another award's cap that shares a pool named after this one); a
limit per owner at the limit; an exclusive group at its ``exclusive`` line, naming the other
awards; a supersession at the ``supersedes`` line.  A cap over a window of years without a
schedule (the checker's E290) is refused at the cap.  ``once per`` an owner of the subject is
refused while the award's caps are planned (E605, :func:`.cap_plans.award_caps`), schedule or
not: not named twice here.
"""

from __future__ import annotations

from ... import syntax as s
from ...check_limits import limit_of
from ...errors import Diagnostic, Span
from ...model import CheckedPolicy, ProvisionInfo
from .plan import ONE_BY_ONE, BatchCompileError
from .rows import chain_of

__all__ = ["refuse_years", "schedule_of"]

_HINT = (
    f"{ONE_BY_ONE}; the batch compiles instalments (`paid over N years from D: …`) whose "
    "caps see the entitlement whole"
)


def schedule_of(p: ProvisionInfo) -> s.Schedule | None:
    """The payment schedule of award ``p`` (``paid …``), or ``None``."""
    if p.kind != "award":
        return None
    return p.schedule


def _refusal(p: ProvisionInfo, what: str, where: Span | None, hint: str = _HINT) -> Diagnostic:
    message = f"{p.id}: an award paid over time with {what} is not compiled to SQL yet"
    return Diagnostic("E617", message, where, hint=hint)


def _cap_shape(cap: s.Cap, subject: str) -> str | None:
    """What of ``cap`` an award paid over time cannot have in the batch, or ``None``."""
    shapes = []
    if cap.window is not None:
        shapes.append("over a window of years (`over N years`)")
    if cap.year_of is not None:
        shapes.append("of its payments per year (`per year of payment_year()`)")
    if cap.shared or (cap.per and subject not in cap.per):
        shapes.append("whose room other claims share (`per E` above the subject, or a pool)")
    return f"a cap {' and '.join(shapes)}" if shapes else None


def _group_refusals(checked: CheckedPolicy, p: ProvisionInfo) -> list[Diagnostic]:
    """One refusal per exclusive group of ``p``, at its ``exclusive`` line, naming the
    group's other awards (their first pass would need the whole entitlement of each year)."""
    out = []
    for g in checked.exclusivity.groups:
        if p.id not in g.awards:
            continue
        others = [a.rsplit("/", 1)[-1] for a in g.awards if a != p.id]
        names = ", ".join(a.rsplit("/", 1)[-1] for a in g.awards)
        what = (
            f"the exclusive group of clause {g.clause.rsplit('/', 1)[-1]} (`exclusive {names} "
            f"among {g.among}`), where it competes with {' and '.join(others)},"
        )
        hint = (
            f"{ONE_BY_ONE}, which applies the group; or batch a copy of the policy without "
            f"the group ({names} and the `exclusive` line) and evaluate the firms claiming "
            "them one at a time; never delete the `exclusive` line alone: a firm would be paid "
            "under every award of the group"
        )
        out.append(_refusal(p, what, g.span, hint))
    return out


def _shapes(checked: CheckedPolicy, p: ProvisionInfo, node: s.Schedule) -> list[Diagnostic]:
    """Every refusal of ``p``'s payments over time the batch does not compile."""
    out = []
    if node.yearly:
        out.append(_refusal(p, "a yearly schedule (`paid yearly for N years`)", node.span))
    subject = chain_of(checked, p.subject)[-1].name
    for cap in p.caps:
        what = _cap_shape(cap, subject)
        if what is not None:
            out.append(_refusal(p, what, cap.span))
    for x in checked.provisions():
        for c in x.caps if x.id != p.id else ():
            if c.shared == p.id:
                what = (
                    f"a cap whose room other claims share (`per E` above the subject, or a "
                    f"pool): {x.id}'s cap in the pool named after it"
                )
                out.append(_refusal(p, what, c.span))
    lim = limit_of(p)
    if lim is not None:
        out.append(_refusal(p, "a limit per owner (`limit N per E`)", lim.span))
    out += _group_refusals(checked, p)
    sup = checked.exclusivity.superseded(p.document, p.clause)
    if sup is not None:
        what = f"a supersession (superseded by {sup.by} from {sup.since})"
        out.append(_refusal(p, what, sup.span))
    return out


def refuse_years(checked: CheckedPolicy, p: ProvisionInfo) -> None:
    """Raise E617 (:class:`~policyrules.errors.BatchCompileError`) with every shape of
    ``p``'s payments over time the batch does not compile (see the module), each at its
    statement; or if ``p`` has a cap over a window of years without a schedule (the
    checker's E290)."""
    node = schedule_of(p)
    if node is not None:
        found = _shapes(checked, p, node)
    else:
        found = [
            _refusal(p, "a cap over a window of years (`over N years`)", cap.span)
            for cap in p.caps
            if cap.window is not None
        ]
    if found:
        raise BatchCompileError(found)
