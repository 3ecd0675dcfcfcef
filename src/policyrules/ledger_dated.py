"""A run's grants are recorded in a ledger only for a day that has come (E427, E428).

Without ``as_of`` every year of a schedule (``paid over N years …``, ``paid yearly for N
years …``) is shown as due: a forecast, granted by no one.  Writing such a run to a ledger
(``eval --ledger-out``, a store's commit, ``serve`` committing) is refused by
:func:`refuse_undated` before anything is written: without a day the years due cannot be
told.  With an ``as_of`` after today, the run grants the years up to it: recording it now
would write next years' payments as paid today; :func:`refuse_ahead` refuses that unless
the caller says it means it (``--record-ahead``, ``record_ahead=True``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .decisions import Decision
from .errors import Diagnostic, LedgerError, Span
from .model import CheckedPolicy
from .result import Result
from .runtime.grants import Grant

__all__ = ["refuse_ahead", "refuse_to_record", "refuse_undated"]

_NAMED = 3  # the grants E428 names; it counts the rest


def _span(policy: CheckedPolicy, provision: str) -> Span | None:
    """Where the award's ``paid …`` statement is written (else the award itself)."""
    for p in policy.provisions():
        if p.id == provision:
            node = p.schedule or p.node
            return node.span
    return None


def _years(years: list[int]) -> str:
    """``2027``, ``2027 and 2028``, ``2027, 2028 and 2029``."""
    said = [str(y) for y in years]
    return said[0] if len(said) == 1 else f"{', '.join(said[:-1])} and {said[-1]}"


def refuse_undated(policy: CheckedPolicy, decisions: Iterable[Decision]) -> None:
    """Refuse to record the payments of an award paid over time evaluated without
    ``as_of`` (:attr:`~policyrules.decisions.Payment.dated` false, non-zero, due).

    :raises LedgerError: E427, naming the award, the subject and the years; the span is the
        award's ``paid …`` statement."""
    for d in decisions:
        undated = [p for p in d.schedule if p.status == "due" and not p.dated and p.amount]
        if not undated:
            continue
        years = _years([p.year for p in undated])
        raise LedgerError(
            Diagnostic(
                "E427",
                f"{d.provision} for {d.subject or 'the subject'} is paid over time and no "
                "as_of day was given: without a day the years due cannot be told, so its "
                f"years ({years}) are only a forecast, granted by no one, and the run is "
                "not recorded; nothing was written",
                _span(policy, d.provision),
                hint="give the day of the payment run: --as-of YYYY-MM-DD on the command "
                "line, as_of= to Policy.evaluate (or as_of: in the facts); the years up to "
                "it are granted, later ones are not; without a ledger to write, the whole "
                "schedule is shown as a forecast",
            )
        )


def refuse_ahead(
    policy: CheckedPolicy,
    grants: Iterable[Grant],
    as_of: dt.date | None,
    today: dt.date,
    *,
    record_ahead: bool = False,
) -> None:
    """Refuse to record ``grants`` of a run for a day after ``today`` (``as_of``) when any
    is of a year after ``today``'s: they would be recorded as paid now, before their year
    (a schedule's later instalments; an award counted in a later year).  ``record_ahead``:
    the caller means it (a payment run dated ahead on purpose).

    :raises LedgerError: E428, naming the years and the grants (the first few, with their
        count); the span is the first one's award."""
    if record_ahead or as_of is None or as_of <= today:
        return
    ahead = [g for g in grants if g.year is not None and g.year > today.year]
    if not ahead:
        return
    years = _years(sorted({g.year for g in ahead if g.year is not None}))
    named = "; ".join(
        f"{g.provision} for {g.subject}: {g.amount.format_cn()} ({g.year})" for g in ahead[:_NAMED]
    )
    more = f"; {len(ahead)} in all" if len(ahead) > _NAMED else ""
    raise LedgerError(
        Diagnostic(
            "E428",
            f"as_of {as_of} is after today ({today}): this run would record "
            f"{len(ahead)} grant(s) of {years} as paid now, before their year: "
            f"{named}{more}; nothing was written",
            _span(policy, ahead[0].provision),
            hint="a dry run shows them (eval --dry-run; batch without --ledger-out; in "
            "Python, commit left out); give the day of the payment run as --as-of (as_of=), "
            "or, to record them now on purpose, add --record-ahead (record_ahead=True)",
        )
    )


def refuse_to_record(
    policy: CheckedPolicy,
    result: Result,
    as_of: dt.date | None,
    today: dt.date,
    record_ahead: bool,
) -> None:
    """Refuse to record ``result`` (a run for ``as_of``) on ``today``: E427
    (:func:`refuse_undated`), then E428 (:func:`refuse_ahead`) unless ``record_ahead``."""
    refuse_undated(policy, result.decisions)
    refuse_ahead(policy, result.grants, as_of, today, record_ahead=record_ahead)
