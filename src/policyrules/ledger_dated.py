"""An award paid over time is recorded in a ledger only for a given day (E427).

Without ``as_of`` every year of a schedule (``paid over N years …``, ``paid yearly for N
years …``) is shown as due: a forecast.  Writing those grants to a ledger (``eval
--ledger-out``, a store's commit, ``serve`` committing) would record next years' payments
as paid now, years early; :func:`refuse_undated` stops it before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable

from .decisions import Decision
from .errors import Diagnostic, LedgerError, Span
from .model import CheckedPolicy

__all__ = ["refuse_undated"]


def _span(policy: CheckedPolicy, provision: str) -> Span | None:
    """Where the award's ``paid …`` statement is written (else the award itself)."""
    for p in policy.provisions():
        if p.id == provision:
            node = p.schedule or p.node
            return node.span
    return None


def refuse_undated(policy: CheckedPolicy, decisions: Iterable[Decision]) -> None:
    """Refuse to record the payments of an award paid over time evaluated without
    ``as_of`` (:attr:`~policyrules.decisions.Payment.dated` false, non-zero, due).

    :raises LedgerError: E427, naming the award, the subject and the years; the span is the
        award's ``paid …`` statement."""
    for d in decisions:
        undated = [p for p in d.schedule if p.status == "due" and not p.dated and p.amount]
        if not undated:
            continue
        years = ", ".join(str(p.year) for p in undated)
        raise LedgerError(
            Diagnostic(
                "E427",
                f"{d.provision} for {d.subject or 'the subject'} is paid over time and no "
                f"as_of day was given: every year ({years}) would be recorded as paid now; "
                "nothing was written",
                _span(policy, d.provision),
                hint="give --as-of YYYY-MM-DD (as_of in the facts or the API), the day of "
                "the payment run: the years up to it are granted, later ones are not; "
                "without a ledger to write, the whole schedule is shown as a forecast",
            )
        )
