"""The payments of an award paid over time, explained: text in Chinese and English, JSON.

A decision's :attr:`~policyrules.decisions.Decision.schedule` lists one
:class:`~policyrules.decisions.Payment` per year: paid before (the ledger), due (granted by
this evaluation) or future (after ``--as-of``).  JSON keys are stable English words.
"""

from __future__ import annotations

from typing import Any

from .decisions import Decision, Payment
from .runtime.values import format_value
from .vocab import AMOUNT_KINDS, PAYMENT_STATUSES

__all__ = ["schedule_json", "schedule_lines_en", "schedule_lines_zh"]

_STATUS_EN = {"paid": "paid before (ledger)", "due": "due: granted now", "future": "not yet due"}


def _amount(p: Payment, unknown: str) -> str:
    return format_value(p.amount) if p.amount is not None else unknown


def schedule_lines_en(d: Decision) -> list[str]:
    """``  paid over time:`` and a line per year, or nothing without a schedule."""
    if not d.schedule:
        return []
    lines = ["  paid over time:"]
    for p in d.schedule:
        share = f", {p.share}" if p.share else ""
        line = f"    {p.year} (#{p.index}{share}): {_amount(p, 'unknown')}"
        line += f", {_STATUS_EN.get(p.status, p.status)}"
        if p.cap:
            line += f"; cut by cap {p.cap} from {format_value(p.before)}"
        lines.append(line)
    return lines


def schedule_lines_zh(d: Decision) -> list[str]:
    """``  分年拨付：`` and a line per year (年度、期次、金额、状态), or nothing."""
    if not d.schedule:
        return []
    lines = ["  分年拨付："]
    for p in d.schedule:
        share = f"，{p.share}" if p.share else ""
        line = f"    {p.year} 年度（第 {p.index} 期{share}）：{_amount(p, AMOUNT_KINDS['unknown'])}"
        line += f"，{PAYMENT_STATUSES.get(p.status, p.status)}"
        if p.cap:
            line += f"（受上限“{p.cap}”限制，由 {format_value(p.before)} 减至此数）"
        lines.append(line)
    return lines


def schedule_json(d: Decision) -> dict[str, Any]:
    """``{"schedule": [{"year", "index", "status", "amount", "share", "cap", "before"}]}``
    (money as 元 text), or ``{}`` for a decision without a schedule."""
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
            }
            for p in d.schedule
        ]
    }
