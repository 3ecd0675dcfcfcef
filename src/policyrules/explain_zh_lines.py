"""The lines of one decision's Chinese text that say its data: the amount and why it is not
exact, what earlier grants did to it, a cap, a deadline's or target's margin, the reasons a
condition did not hold.  Below :mod:`policyrules.explain_zh`, which puts them in order
(:func:`~policyrules.explain_zh.decision_text_zh`).
"""

from __future__ import annotations

from .decisions import CapEvent, Decision
from .explain_exclusive import provision_zh, refused_zh
from .explain_holds import amount_holds_zh, once_zh
from .explain_zh_caps import cap_line_zh, cap_note_zh, cap_said_zh
from .explain_zh_margins import deadline_margin_zh
from .explain_zh_reasons import (
    margin_zh,
    period_end,
    reasons_zh,
    refused_reason_zh,
    target_zh,
    undecided_zh,
)
from .model import ProvisionInfo
from .runtime.claim_log import NO_EARLIER
from .runtime.values import format_value
from .vocab import EARLIER_DEDUCTED, EARLIER_KEPT, SPENT, SPENT_AMOUNT, amount_words
from .words import Words

__all__ = [
    "amount_line_zh",
    "cap_text_zh",
    "earlier_line_zh",
    "margin_lines_zh",
    "reasons_lines_zh",
    "spent",
    "spent_zh",
    "titles_zh",
]


def titles_zh(w: Words, facts: tuple[str, ...] | list[str]) -> str:
    """The titles of ``facts``, joined by 、."""
    return "、".join(w.fact_title(f) for f in facts)


def spent(d: Decision) -> str | None:
    """Why an eligible award is paid nothing, exactly: ``cap`` (a cap's room used up: a cap
    cut it to 0.00 元) or ``earlier`` (granted in full before), the keys of
    :data:`~policyrules.vocab.SPENT`; ``None`` for any other decision (an amount of 0.00 元
    by its own arithmetic is no cap spent)."""
    if d.kind != "award" or d.status != "eligible" or d.amount_kind != "exact":
        return None
    if d.amount is None or d.amount.fen != 0:
        return None
    if any(ev.cut_fen and ev.after is not None and ev.after.fen == 0 for ev in d.caps):
        return "cap"
    if d.granted_before is not None and d.granted_before.fen > 0:
        return "earlier"
    return None


def spent_zh(w: Words, p: ProvisionInfo | None, d: Decision) -> tuple[str, str] | None:
    """The head (:data:`~policyrules.vocab.SPENT`) and why (the spent cap in words:
    :data:`~policyrules.vocab.SPENT_AMOUNT`) of an award :func:`spent`; else ``None``."""
    kind = spent(d)
    if kind is None:
        return None
    cap = next(
        (ev.cap for ev in d.caps if ev.cut_fen and ev.after is not None and ev.after.fen == 0),
        None,
    )
    words = cap_said_zh(w, p, cap) if kind == "cap" and cap is not None else ""
    return SPENT[kind], SPENT_AMOUNT[kind].format(cap=words)


def amount_line_zh(w: Words, d: Decision, p: ProvisionInfo | None = None) -> str | None:
    """The amount line of an eligible award, in :func:`~policyrules.vocab.amount_words`'
    words, with why it is not exact, or why it is nothing (:func:`spent_zh`)."""
    if d.kind != "award" or d.status != "eligible":
        return None
    if (spent := spent_zh(w, p, d)) is not None:
        return f"金额：{format_value(d.amount)}（{spent[1]}）"
    why = []
    if d.missing_parameters:
        why.append("待定：" + "、".join(w.parameter(p) for p in d.missing_parameters))
    if d.missing_facts:
        why.append("尚缺：" + titles_zh(w, d.missing_facts))
    later = [str(p.year) for p in d.schedule if p.status == "future" and p.amount is None]
    if later and d.amount is None:  # its amount comes with the year: not asked for
        why.append(f"{'、'.join(later)} 年度尚未到期，金额届时确定")
    up_to = d.amount_kind == "up_to"
    if up_to and (held := amount_holds_zh(d, lambda pid: provision_zh(w, pid))) is not None:
        why.append(held)
    if d.held_by and up_to:
        why.append(once_zh(d.held_by, lambda pid: provision_zh(w, pid)))
    kind = d.amount_kind if d.amount is not None else "unknown"
    if kind == "range" and d.amount_min is None:
        kind = "up_to"
    said = amount_words(
        kind,
        format_value(d.amount),
        format_value(d.amount_min) if d.amount_min is not None else None,
    )
    if kind == "exact":
        return f"金额：{said}"
    if kind == "up_to":
        if not why and d.exclusivity is not None:
            why = ["同组不重复支持（就高）的其他奖励尚未确定，可能由其获得支持（见下）"]
        why = why or ["文本只规定了上限"]
        return f"金额：{said}（这是上限，不是确定金额；{'；'.join(why)}）"
    if kind == "range":
        return f"金额：{said}（{'；'.join(why) or '确切金额在此区间内，待定'}）"
    return f"金额：{said}（{'；'.join(why) or '无法计算上限'}）"


def earlier_line_zh(d: Decision) -> str:
    """What the subject's earlier grants of the provision did to this claim: deducted (the
    encoding's reading, said as one), or, lower tiers under ``highest_only`` (the trace's
    ``tiers`` note), kept apart."""
    before = format_value(d.granted_before)
    kept = any(st.kind == "tiers" and st.ok is None for st in d.trace)
    return (EARLIER_KEPT if kept else EARLIER_DEDUCTED).format(before=before)


def cap_text_zh(w: Words, p: ProvisionInfo | None, ev: CapEvent) -> str:
    """A cap's line, from its event's data (a note by its kind, never its English)."""
    if ev.detail is not None:  # said from its data, never from its English (ev.note)
        line = cap_line_zh(w, p, ev.cap, ev.scope, None, NO_EARLIER, None, ev.account)
        return line + cap_note_zh(w, p, ev.cap, ev.detail)
    binds = None
    if ev.binding:
        binds = (
            (format_value(ev.before), format_value(ev.cut), format_value(ev.after))
            if ev.requested is not None
            else ()
        )
    used = format_value(ev.used_before) if ev.used_before else None
    limit = ev.limit.fen if ev.limit is not None else None
    return cap_line_zh(w, p, ev.cap, ev.scope, used, ev.earlier, binds, ev.account, limit)


def margin_lines_zh(w: Words, p: ProvisionInfo | None, d: Decision) -> list[str]:
    """A deadline's margin said from its data; a target's from its text."""
    if (m := d.deadline_margin) is not None:
        return [f"  {deadline_margin_zh(m, d.encouraged)}"]
    if not d.margin:
        return []
    said = target_zh(w, p, d.margin, d.encouraged) if d.kind == "target" else None
    return [f"  {said or margin_zh(d.margin, d.encouraged)}"]


def reasons_lines_zh(w: Words, p: ProvisionInfo | None, d: Decision) -> list[str]:
    """Why ``d`` does not hold, one line per failed condition: the condition in words and
    the values of the facts it read.  A reason that is no failed condition is said by
    :func:`~.explain_zh_reasons.undecided_zh` (unknown) or
    :func:`~.explain_zh_reasons.refused_reason_zh` (not eligible)."""
    if not d.reasons:
        return []
    said = reasons_zh(w, p, d.reasons, d.trace, d.facts)
    for i, reason in enumerate(d.reasons):
        if said[i] is None:
            said[i] = refused_zh(w, d, reason)
            if said[i] is None:
                said[i] = (
                    undecided_zh(reason, period_end(w, p, d.facts))
                    if d.status == "unknown"
                    else refused_reason_zh(w, reason)
                )
    return [r for r in said if r is not None]
