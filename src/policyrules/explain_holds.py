"""Why an amount is "up to" because of an earlier claim (issue 9, the last audit).

A claim whose eligibility, instalment or amount is not known holds, in every cap it shares,
the most it could take (:class:`~policyrules.runtime.holds.Hold`).  A later claim under that
cap is then "up to" what is left, and its explanation must say which earlier claim made it
so, not that "the text fixes only ceilings".  :func:`holds_of` finds those claims in a
decision's caps; :func:`holds_en` and :func:`holds_zh` say them (the words of each reason:
:data:`~policyrules.vocab.HOLD_REASONS`, :data:`~policyrules.vocab.HOLD_REASONS_EN`).

A new kind of hold needs only its key in :data:`~policyrules.runtime.holds.HOLD_WHY` and its
words in both tables.
"""

from __future__ import annotations

from collections.abc import Callable

from .decisions import Decision
from .runtime.claim_holds import count_held
from .runtime.holds import Hold
from .runtime.money import Money
from .vocab import HOLD_REASONS, HOLD_REASONS_EN

__all__ = [
    "amount_holds_en",
    "amount_holds_zh",
    "holds_en",
    "holds_json",
    "holds_of",
    "holds_zh",
    "in_years",
    "once_en",
    "once_zh",
]

_SHOWN = 3


def holds_of(d: Decision) -> tuple[tuple[Hold, ...], int]:
    """The earlier claims holding room in ``d``'s caps (or its payments' caps, for an award
    paid over time), each (subject, provision) once with the most it holds in any of them,
    the last :data:`_SHOWN`; and how many there are in all (``0``: none): the claims of
    every cap's and payment's accounts joined, each claim once however many of them it
    holds room in (a schedule holds each payment in an account over all years; two caps,
    or two years' payments, may be held by different claims), ``d``'s own not among them
    (:func:`~policyrules.runtime.claim_holds.count_held`)."""
    found: dict[tuple[str, str], Hold] = {}
    # A claim's caps, and the payments of an award paid over time, each its own.
    views = [ev.earlier for ev in d.caps if ev.earlier.hold_count()]
    sources = [v.holds(_SHOWN) for v in views]
    for p in d.schedule:
        if p.held_by:
            sources.append(p.held_by)
            views += p.held_in
    for holds in sources:
        for h in holds:
            key = (h.subject, h.provision)
            if key not in found or _more(h.amount, found[key].amount):
                found[key] = h
    shown = tuple(found.values())[-_SHOWN:]
    own = (d.subject, d.provision) if d.subject is not None else None
    count = count_held(views, own) if views else 0
    return shown, max(count, len(shown))


def in_years(d: Decision, holds: tuple[Hold, ...], count: int) -> bool:
    """Whether the claims holding ``d``'s room are named in its years' lines, not in its
    amount's: a year of its schedule is held by others than the amount's line would name
    (``holds``, ``count``: :func:`holds_of`).  Each claim is then named once, in the year
    it holds (a reader asks which year it holds), and the amount's line counts them; where
    every held year is held by those claims (most: one account over all years), the
    amount's line names them, as a claim paid at once's does, and the years refer to it."""
    return any(p.held_by and (p.held_by, p.hold_count) != (holds, count) for p in d.schedule)


def amount_holds_en(d: Decision) -> str | None:
    """What ``d``'s amount line says of the earlier claims holding its room (:func:`holds_en`,
    or their count where its years name them: :func:`in_years`); ``None``: none."""
    holds, count = holds_of(d)
    if not holds:
        return None
    if d.schedule and in_years(d, holds, count):
        return f"held by earlier claims in a shared cap: {count} in all, named in its years below"
    return holds_en(holds, count)


def amount_holds_zh(d: Decision, name: Callable[[str], str]) -> str | None:
    """:func:`amount_holds_en` in Chinese; ``name`` gives a provision's name."""
    holds, count = holds_of(d)
    if not holds:
        return None
    if d.schedule and in_years(d, holds, count):
        return f"共用上限中在先的申请尚未确定：共 {count} 笔，分列于下列各年度"
    return holds_zh(holds, count, name)


def holds_en(holds: tuple[Hold, ...], count: int) -> str:
    """``held by earlier claims: F1/R1 under t/2/research holds 150 万元 (a payment
    of its schedule is unknown)``; with more than shown, how many in all."""
    parts = [
        f"{h.subject} under {h.provision} holds {_en(h.amount)} ({HOLD_REASONS_EN[h.why]})"
        for h in holds
    ]
    more = f" ({count} in all; the last {len(holds)} shown)" if count > len(holds) else ""
    return "held by earlier claims in a shared cap: " + "; ".join(parts) + more


def holds_zh(holds: tuple[Hold, ...], count: int, name: Callable[[str], str]) -> str:
    """:func:`holds_en` in Chinese; ``name`` gives a provision's name (第2条“…”)."""
    parts = [
        f"{h.subject} 按{name(h.provision)}暂占{_zh(h.amount)}（{HOLD_REASONS[h.why]}）"
        for h in holds
    ]
    more = f"（共 {count} 笔，列出最近 {len(holds)} 笔）" if count > len(holds) else ""
    return "共用上限中在先的申请尚未确定：" + "；".join(parts) + more


def holds_json(holds: tuple[Hold, ...]) -> list[dict[str, str | None]]:
    """The holds as JSON-ready data: subject, provision, why, amount (元 text; ``None``:
    nothing bounds it)."""
    return [
        {
            "subject": h.subject,
            "provision": h.provision,
            "why": h.why,
            "amount": None if h.amount is None else str(h.amount.yuan),
        }
        for h in holds
    ]


def _more(a: Money | None, b: Money | None) -> bool:
    """Whether hold amount ``a`` is more than ``b`` (``None``: unbounded, the most)."""
    return b is not None and (a is None or a > b)


def _en(amount: Money | None) -> str:
    return "an amount nothing bounds" if amount is None else amount.format_cn()


def _zh(amount: Money | None) -> str:
    return "额度（金额未知，不设上限）" if amount is None else " " + amount.format_cn()


def once_en(holds: tuple[Hold, ...]) -> str:
    """``the one-time award may go to an earlier claim not settled: F1/P1 under t/1/r (its
    amount is not settled)``: the claims holding a one-time award (``Decision.held_by``)."""
    parts = [f"{h.subject} under {h.provision} ({HOLD_REASONS_EN[h.why]})" for h in holds]
    return "the one-time award may go to an earlier claim not settled: " + "; ".join(parts)


def once_zh(holds: tuple[Hold, ...], name: Callable[[str], str]) -> str:
    """:func:`once_en` in Chinese; ``name`` gives a provision's name."""
    parts = [f"{h.subject} 按{name(h.provision)}（{HOLD_REASONS[h.why]}）" for h in holds]
    return "一次性奖励可能由在先尚未确定的申请获得：" + "；".join(parts)
