"""The payments of an award paid over time, explained: text in Chinese and English, JSON.

A decision's :attr:`~policyrules.decisions.Decision.schedule` lists one
:class:`~policyrules.decisions.Payment` per year: paid before (the ledger), due (granted by
this evaluation) or future (after ``--as-of``).  Without ``--as-of`` the years not paid
before are a forecast, said so in the heading (E427 refuses to record them).  JSON keys are
stable English words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .decisions import ENTITLEMENT_CUT, ENTITLEMENT_RAISED, Decision, Payment
from .explain_holds import holds_en, holds_zh
from .runtime.values import format_value
from .vocab import (
    AMOUNT_KINDS,
    PAYMENT_ENTITLEMENT,
    PAYMENT_RAISED,
    PAYMENT_STATUSES,
    PAYMENT_UNDATED,
    quoted,
)

__all__ = ["schedule_json", "schedule_lines_en", "schedule_lines_zh"]

_STATUS_EN = {
    "paid": "paid before (ledger)",
    "due": "due: granted now",
    "future": "not yet due",
    "held": "due, not granted: its amount is not settled yet",
}
_UNDATED_EN = "forecast (no day given)"
_HEADING_EN = (
    "  paid over time (no day given: every year is shown, nothing is due yet; "
    "recording needs --as-of):"
)


def _undated(p: Payment) -> bool:
    return p.status == "due" and not p.dated


def _status(p: Payment) -> str:
    return "held" if p.held and p.status == "due" else p.status


def _amount(p: Payment, unknown: str) -> str:
    return format_value(p.amount) if p.amount is not None else unknown


def schedule_lines_en(d: Decision) -> list[str]:
    """``  paid over time:`` and a line per year, or nothing without a schedule."""
    if not d.schedule:
        return []
    undated = any(map(_undated, d.schedule))
    lines = [_HEADING_EN if undated else "  paid over time:"]
    for p in d.schedule:
        share = f", {p.share}" if p.share else ""
        line = f"    {p.year} (#{p.index}{share}): {_amount(p, 'unknown')}"
        line += f", {_UNDATED_EN if _undated(p) else _STATUS_EN.get(_status(p), p.status)}"
        if p.cap == ENTITLEMENT_CUT:
            line += (
                f"; cut from {format_value(p.before)} to what the entitlement leaves "
                "after the other payments"
            )
        elif p.cap == ENTITLEMENT_RAISED:
            line += (
                f"; raised from its share {format_value(p.before)}: the entitlement rose since "
                "the earlier years were paid, and this payment settles their shares of it"
            )
        elif p.cap:
            line += f"; cut by cap {p.cap} from {format_value(p.before)}"
        if p.held_by:  # as a claim paid at once says them (its amount's line)
            line += "; " + holds_en(p.held_by, p.hold_count)
        lines.append(line)
    return lines


def schedule_lines_zh(
    d: Decision, cap_words: Callable[[str], str] = str, name: Callable[[str], str] = str
) -> list[str]:
    """``  分年拨付：`` and a line per year (年度、期次、金额、状态), or nothing; ``cap_words``
    says a cap (as printed in the rule) in words, as the other caps of the letter are, and
    ``name`` a provision (第2条“…”), for the earlier claims holding a year's room."""
    if not d.schedule:
        return []
    undated = any(map(_undated, d.schedule))
    lines = [PAYMENT_UNDATED["heading"] if undated else "  分年拨付："]
    for p in d.schedule:
        share = f"，{p.share}" if p.share else ""
        line = f"    {p.year} 年度（第 {p.index} 期{share}）：{_amount(p, AMOUNT_KINDS['unknown'])}"
        status = PAYMENT_STATUSES.get(_status(p), p.status)
        line += f"，{PAYMENT_UNDATED['status'] if _undated(p) else status}"
        if p.cap == ENTITLEMENT_CUT:
            line += PAYMENT_ENTITLEMENT.format(before=format_value(p.before))
        elif p.cap == ENTITLEMENT_RAISED:
            line += PAYMENT_RAISED.format(before=format_value(p.before))
        elif p.cap:
            line += (
                f"（受上限{quoted(cap_words(p.cap))}限制，由 {format_value(p.before)} 减至此数）"
            )
        if p.held_by:  # as a claim paid at once says them (its amount's line)
            line += "；" + holds_zh(p.held_by, p.hold_count, name)
        lines.append(line)
    return lines


def schedule_json(d: Decision) -> dict[str, Any]:
    """``{"schedule": [{"year", "index", "status", "amount", "share", "cap", "before",
    "held_by", "held_count"}]}`` (money as 元 text; ``held_by``: the earlier claims not
    settled holding room the payment needs, as a cap's ``held``, the last 3 of each account;
    ``held_count``: how many there are in all, :attr:`~policyrules.decisions.Payment.hold_count`),
    or ``{}`` for a decision without one."""
    if not d.schedule:
        return {}
    return {
        "schedule": [
            {
                "year": p.year,
                "index": p.index,
                "status": p.status,
                "amount": str(p.amount.yuan) if p.amount is not None else None,
                "share": p.share,
                "cap": p.cap,
                "before": str(p.before.yuan) if p.before is not None else None,
                "held_by": [
                    {"subject": h.subject, "provision": h.provision, "why": h.why}
                    | {"amount": str(h.amount.yuan) if h.amount is not None else None}
                    for h in p.held_by
                ],
                "held_count": p.hold_count,
            }
            for p in d.schedule
        ]
    }
