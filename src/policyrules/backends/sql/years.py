"""Payments over time in the SQL batch: the shapes compiled (:mod:`.schedules`), the rest
refused by name (E617), never skipped.

Compiled: instalments (``paid over N years from D: R1, …, RN remainder last|first``,
分两年拨付) of an award whose caps all see the entitlement whole and no other claim (the
claim's own, or ``per E`` of its own subject in its own pool), ``once per`` its own subject
too (一次性奖励，分两年拨付: its earlier instalments are its own, not a second award).  Each
year is one grant of that year, the ledger's instalments kept, as
:mod:`policyrules.backends.python.instalments` pays them.

Refused, each named (the first that applies): a yearly schedule (``paid yearly for N
years``: the amount of each year, ``this_year(x)``), a cap over a window of years (``over N
years``), a yearly cap (``per year of payment_year()``), a cap whose room other claims share
(``per E`` above the subject, or a pool), ``once per`` an owner of the subject, a limit per
owner, and an exclusive group or a supersession.
"""

from __future__ import annotations

from ... import syntax as s
from ...check_limits import limit_of
from ...errors import Diagnostic
from ...model import CheckedPolicy, ProvisionInfo
from .plan import ONE_BY_ONE, BatchCompileError
from .rows import chain_of

__all__ = ["refuse_years", "schedule_of"]


def schedule_of(p: ProvisionInfo) -> s.Schedule | None:
    """The payment schedule of award ``p`` (``paid …``), or ``None``."""
    if p.kind != "award":
        return None
    return p.schedule


def _shape(checked: CheckedPolicy, p: ProvisionInfo, node: s.Schedule) -> str | None:
    """What of ``p``'s payments over time the batch does not compile, or ``None``."""
    if node.yearly:
        return "a yearly schedule (`paid yearly for N years`)"
    if any(cap.window is not None for cap in p.caps):
        return "a cap over a window of years (`over N years`)"
    if any(cap.year_of is not None for cap in p.caps):
        return "a yearly cap of its payments (`per year of payment_year()`)"
    subject = chain_of(checked, p.subject)[-1].name
    others = [
        x.id for x in checked.provisions() if x.id != p.id and any(c.shared == p.id for c in x.caps)
    ]
    if others or any(cap.shared or (cap.per and subject not in cap.per) for cap in p.caps):
        return "a cap whose room other claims share (`per E` above the subject, or a pool)"
    if any(o.entity != subject for o in p.once):
        # `once per` the subject itself never refuses an instalment award: its later
        # payments are its own (backends/python/evaluate.py, once)
        return "`once per` an owner of the subject"
    if limit_of(p) is not None:
        return "a limit per owner (`limit N per E`)"
    if p.id in checked.exclusivity.bound() or checked.exclusivity.superseded(p.document, p.clause):
        return "an exclusive group or a supersession"
    return None


def refuse_years(checked: CheckedPolicy, p: ProvisionInfo) -> None:
    """Raise E617 (:class:`~policyrules.errors.BatchCompileError`) if ``p`` is paid over
    time in a shape the batch does not compile (see the module), naming the shape; or if
    ``p`` has a cap over a window of years without a schedule (the checker's E290)."""
    node = schedule_of(p)
    window = next((cap for cap in p.caps if cap.window is not None), None)
    what: str | None = None
    if node is not None:
        what = _shape(checked, p, node)
    elif window is not None:
        what = "a cap over a window of years (`over N years`)"
    if what is not None:
        where = node.span if node is not None else window.span if window is not None else None
        raise BatchCompileError(
            Diagnostic(
                "E617",
                f"{p.id}: an award paid over time with {what} is not compiled to SQL yet",
                where,
                hint=f"{ONE_BY_ONE}; the batch compiles instalments (`paid over N years "
                "from D: …`) whose caps see the entitlement whole",
            )
        )
