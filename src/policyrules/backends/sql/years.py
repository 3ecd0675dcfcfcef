"""Payments over time in the SQL batch: refused by name (E617), never skipped.

An award paid over time (``paid over N years …``, ``paid yearly for N years …``) makes one
grant per year, each seen by the caps of its year, and a cap ``over N years`` sums a window
of years: neither is compiled to SQL yet.  The batch refuses the policy at compile time,
naming the provision, rather than compute such an award as one payment.
"""

from __future__ import annotations

from ...model import ProvisionInfo
from .plan import refuse

__all__ = ["refuse_years"]


def refuse_years(p: ProvisionInfo) -> None:
    """Raise E617 (:class:`~policyrules.errors.BatchCompileError`) if ``p`` is paid over
    time or has a cap over a window of years."""
    what = None
    if p.schedule is not None:
        what = "an award paid over time (`paid …`)"
    elif any(cap.window is not None for cap in p.caps):
        what = "a cap over a window of years (`over N years`)"
    if what is not None:
        raise refuse(
            "E617",
            f"{p.id}: {what} is not compiled to SQL",
            hint="evaluate this policy one firm at a time (policy.evaluate, policyrules eval)",
        )
