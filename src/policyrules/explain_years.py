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

from .decisions import ENTITLEMENT_AHEAD, ENTITLEMENT_CUT, ENTITLEMENT_RAISED, Decision, Payment
from .explain_holds import holds_en, holds_of, holds_zh, in_years
from .runtime.holds import Hold
from .runtime.values import format_value
from .vocab import (
    AMOUNT_KINDS,
    PAYMENT_AHEAD,
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
_HEADING_PAID_EN = (  # a year paid before is not "not due"
    "  paid over time (no day given: every year is shown, the years not paid before are "
    "not due yet; recording needs --as-of):"
)


def _undated(p: Payment) -> bool:
    return p.status == "due" and not p.dated


def _status(p: Payment) -> str:
    return "held" if p.held and p.status == "due" else p.status


def _amount(p: Payment, unknown: str) -> str:
    return format_value(p.amount) if p.amount is not None else unknown


# A year held by the claims its amount's line names (most: an account over all years
# holds the same claims for every payment), or by those of the year before, said so
# without naming them again (each claim is named once: explain_holds.in_years).
_NAMED_EN = "held by earlier claims in a shared cap: those named in its amount"
_NAMED_ZH = "共用上限中在先的申请尚未确定：即金额一行所列申请"
_Held = tuple[tuple[Hold, ...], int]


def _named(d: Decision) -> _Held | None:
    """The earlier claims holding room that ``d``'s amount line names, and how many in
    all (:func:`~policyrules.explain_holds.holds_of`); ``None`` where it names none (its
    years name them: :func:`~policyrules.explain_holds.in_years`)."""
    if d.amount_kind != "up_to" or not any(p.held_by for p in d.schedule):
        return None
    holds, count = holds_of(d)
    return None if not holds or in_years(d, holds, count) else (holds, count)


def _year_holds(d: Decision) -> list[tuple[str, _Held | int] | None]:
    """For each payment of ``d``, what its line says of the claims holding its room:
    ``None`` nothing, ``("named", …)`` those its amount's line names, ``("same", year)``
    those of the year before it held, ``("own", (holds, count))`` their names."""
    named = _named(d)
    said: list[tuple[str, _Held | int] | None] = []
    before: tuple[_Held, int] | None = None
    for p in d.schedule:
        if not p.held_by:
            said.append(None)
            continue
        held = (p.held_by, p.hold_count)
        if held == named:
            said.append(("named", held))
        elif before is not None and before[0] == held:
            said.append(("same", before[1]))
        else:
            said.append(("own", held))
        before = (held, p.year)
    return said


def schedule_lines_en(d: Decision) -> list[str]:
    """``  paid over time:`` and a line per year, or nothing without a schedule."""
    if not d.schedule:
        return []
    undated = any(map(_undated, d.schedule))
    paid = any(p.status == "paid" for p in d.schedule)
    heading = (_HEADING_PAID_EN if paid else _HEADING_EN) if undated else "  paid over time:"
    lines = [heading]
    held = _year_holds(d) if any(p.held_by for p in d.schedule) else [None] * len(d.schedule)
    for p, said in zip(d.schedule, held, strict=True):
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
                f"; raised from its share {format_value(p.before)}: the earlier years were "
                "paid less than their shares of the entitlement as computed now, and this "
                "payment settles the difference"
            )
        elif p.cap == ENTITLEMENT_AHEAD:
            line += (
                f"; lowered from its share {format_value(p.before)}: the earlier years were "
                "paid more than their shares of the entitlement as computed now, and this "
                "payment takes the difference off"
            )
        elif p.cap:
            line += f"; cut by cap {p.cap} from {format_value(p.before)}"
        if said is not None:  # as a claim paid at once says them (its amount's line)
            how, what = said
            if how == "named":
                line += "; " + _NAMED_EN
            elif isinstance(what, int):
                line += f"; held by earlier claims in a shared cap: the same as {what}"
            else:
                line += "; " + holds_en(*what)
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
    paid = any(p.status == "paid" for p in d.schedule)
    heading = PAYMENT_UNDATED["heading_paid" if paid else "heading"]
    lines = [heading if undated else "  分年拨付："]
    held = _year_holds(d) if any(p.held_by for p in d.schedule) else [None] * len(d.schedule)
    for p, said in zip(d.schedule, held, strict=True):
        share = f"，{p.share}" if p.share else ""
        line = f"    {p.year} 年度（第 {p.index} 期{share}）：{_amount(p, AMOUNT_KINDS['unknown'])}"
        status = PAYMENT_STATUSES.get(_status(p), p.status)
        line += f"，{PAYMENT_UNDATED['status'] if _undated(p) else status}"
        if p.cap == ENTITLEMENT_CUT:
            line += PAYMENT_ENTITLEMENT.format(before=format_value(p.before))
        elif p.cap == ENTITLEMENT_RAISED:
            line += PAYMENT_RAISED.format(before=format_value(p.before))
        elif p.cap == ENTITLEMENT_AHEAD:
            line += PAYMENT_AHEAD.format(before=format_value(p.before))
        elif p.cap:
            line += (
                f"（受上限{quoted(cap_words(p.cap))}限制，由 {format_value(p.before)} 减至此数）"
            )
        if said is not None:  # as a claim paid at once says them (its amount's line)
            how, what = said
            if how == "named":
                line += "；" + _NAMED_ZH
            elif isinstance(what, int):
                line += f"；共用上限中在先的申请尚未确定：同 {what} 年度"
            else:
                line += "；" + holds_zh(*what, name)
        lines.append(line)
    return lines


def schedule_json(d: Decision) -> dict[str, Any]:
    """``{"schedule": [{"year", "index", "status", "dated", "amount", "share", "cap",
    "before", "held_by", "held_count"}]}`` (money as 元 text; ``dated`` false for a year
    shown without ``as_of``, a forecast granted by no one; ``held_by``: the earlier claims not
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
                "dated": p.dated,
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
