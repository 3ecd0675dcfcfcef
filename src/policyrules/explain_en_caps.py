"""A cap's line in the English text: the cap, its account, what was granted before and the
earlier claims on it, and whether it bound (what a claim met at the cap).

Said from a :class:`~policyrules.decisions.CapEvent` (:func:`cap_text_en`, the decision's
way), or piece by piece from a claim's row (:func:`cap_head_en`, :func:`cap_tail_put_en`:
``backends/python/texts.py``), alike.
"""

from __future__ import annotations

from typing import Any

from .decisions import CapEvent
from .runtime.money import Money, cn_text
from .runtime.values import format_value

__all__ = [
    "binds_en",
    "cap_head_en",
    "cap_line_en",
    "cap_tail_en",
    "cap_tail_put_en",
    "cap_text_en",
    "money_text_en",
]

# A ledger's grants were paid: they count before this evaluation's claims, whatever order
# the cap shares itself in among those claims.
USED_BEFORE_EN = " (recorded, counted before this evaluation's claims)"


def money_text_en(m: Any) -> str:
    """:func:`format_value` of an amount, Money written directly (the frequent case)."""
    return cn_text(m.fen) if type(m) is Money else format_value(m)


def cap_text_en(ev: CapEvent) -> str:
    """A cap's line of a decision's English text: its note where it has one, else
    :func:`cap_line_en` of the event."""
    if ev.detail is not None:
        return f"cap {ev.cap} [{ev.scope}]: {ev.detail.describe()}"
    limit = ev.limit
    said = cn_text(limit.fen) if type(limit) is Money else format_value(limit)
    used = ev.used_before
    before, after = ev.before, ev.after
    if not ev.binding:
        binds = None
    elif ev.requested is None:
        binds = "; BINDS: it is the tightest bound"
    elif type(before) is Money and type(after) is Money:  # ev.cut, from the fen
        binds = binds_en(before.fen, after.fen)
    else:
        cut = money_text_en(ev.cut)
        binds = f"; BINDS: {money_text_en(before)} cut by {cut} to {money_text_en(after)}"
    earlier = ev.earlier
    return cap_line_en(
        ev.cap,
        ev.scope,
        said,
        # Money's bool, without the call
        money_text_en(used) if (used.fen if type(used) is Money else used) else None,
        earlier.describe() if earlier else None,
        binds,
    )


def cap_line_en(
    cap: str, scope: str, limit: str, used: str | None, earlier: str | None, binds: str | None
) -> str:
    """A cap's line of the English text (no note): ``cap`` as written, its ``scope``
    (``firm f1, year 2026``), its ``limit``'s text, what was ``used`` before (``None``:
    nothing), the ``earlier`` claims of this evaluation on it as
    :meth:`~policyrules.runtime.ledger.Earlier.describe` says them (``None``: none), and
    ``binds``, the tail saying it bound (:func:`binds_en`; ``None``: it did not)."""
    return cap_head_en(cap, scope, limit) + cap_tail_en(used, earlier, binds)


def cap_head_en(cap: str, scope: str, limit: str) -> str:
    """The start of :func:`cap_line_en`, all of it for a cap that did nothing more."""
    return f"cap {cap} [{scope}]: limit {limit}"


def cap_tail_en(used: str | None, earlier: str | None, binds: str | None) -> str:
    """The rest of :func:`cap_line_en` (``""``: nothing used, no earlier claim, not bound)."""
    out: list[str] = []
    cap_tail_put_en(out, used, earlier, 0, 0)
    if binds is not None:
        out.append(binds)
    return "".join(out)


def cap_tail_put_en(
    out: list[str], used: str | None, earlier: str | None, before: int, after: int
) -> None:
    """:func:`cap_tail_en` of ``used``, ``earlier`` and, where ``after < before`` (fen),
    :func:`binds_en` of them, put at the end of ``out`` (a paid claim's text from its row
    joins them with its own pieces, not apart first)."""
    if used is not None:
        out += ("; already granted ", used, USED_BEFORE_EN)
    if earlier is not None:
        out += ("; before this claim: ", earlier)
    if after < before:
        cut = cn_text(before - after)
        out += ("; BINDS: ", cn_text(before), " cut by ", cut, " to ", cn_text(after))


def binds_en(before: int, after: int) -> str:
    """The tail of a cap's line that cut a claim from ``before`` to ``after`` fen."""
    out: list[str] = []
    cap_tail_put_en(out, None, None, before, after)
    return "".join(out)
