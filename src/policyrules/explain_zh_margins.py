"""A deadline's margin in a decision's Chinese text, said from its fields
(:class:`~policyrules.decisions.DeadlineMargin`), never from the evaluator's English
(``Decision.margin``): 提前 3 个工作日, 截至2027年6月1日尚未完成，已逾期 513 日（2027年放假安排
尚未公布，工作日无法计算，按日历日计）.  Below :mod:`policyrules.explain_zh`; a target's margin
is said by :mod:`~policyrules.explain_zh_reasons`."""

from __future__ import annotations

from .decisions import DeadlineMargin
from .words import date_zh, duration_zh

__all__ = ["deadline_margin_zh"]


def deadline_margin_zh(m: DeadlineMargin, encouraged: bool = False) -> str:
    """``m`` in words: done early or late by so many days, on the last day, overdue or not
    yet due on the day judged on, in time whatever an unpublished year's holidays are.
    ``encouraged`` (a time limit the document encourages, 京医保发〔2025〕5号（十九）): late
    is said 超过鼓励期限, not 逾期, which reads as a breach."""
    kind = m.kind
    late = "超过鼓励期限" if encouraged else "逾期"
    if kind in ("early", "late"):
        return f"{'提前' if kind == 'early' else late} {_days_zh(m)}"
    if kind == "overdue":
        return f"截至{_on(m)}尚未完成，已{late} {_days_zh(m)}"
    if kind == "last_day":
        return "在期限的最后一天完成"
    if m.any_schedule:  # settled whatever the holidays of the year not published are
        year = m.unpublished
        anyhow = f"{year}年放假安排尚未公布，但无论如何安排均" if year else "无论放假如何安排均"
        if kind == "in_time":
            return f"{_on(m)}完成；{anyhow}未{late}"
        return f"截至{_on(m)}尚未完成；{anyhow}尚未到期"
    return f"截至{_on(m)}{'（期限最后一日）' if m.last_day else ''}尚未完成，尚未到期"


def _on(m: DeadlineMargin) -> str:
    return date_zh(m.on) if m.on is not None else ""


def _days_zh(m: DeadlineMargin) -> str:
    """The distance: ``513 日``, ``13 个工作日``; where the working days could not be counted,
    why (``513 日（2027年放假安排尚未公布，工作日无法计算，按日历日计）``)."""
    said = duration_zh(str(m.days), m.unit)
    if m.gap is None:
        return said
    why = f"{m.unpublished}年放假安排尚未公布，" if m.unpublished is not None else ""
    return f"{said}（{why}工作日无法计算，按日历日计）"
