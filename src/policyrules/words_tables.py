"""A tier table in the reader's words: its rows with the thresholds as the author wrote them
and the money as the texts write it (``达到 5 亿元：100 万元``; an enum's row by the member's
title, ``国家级专精特新“小巨人”企业：50 万元``).  The clause's summary and its reference page
list the rows; a decision paid by tier names the row it fell in (:func:`tier_applied_zh`).

>>> import policyrules
>>> p = policyrules.load("policies/patterns")
>>> t = tier_table_zh(p.words, "scale_tiers")
>>> t.title, t.rows[1]
('《营业收入首次突破规模奖励档次》', ('达到 5 亿元', '200 万元'))
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from . import syntax as s
from .check_tables import tier_read
from .decisions import Step
from .model import ProvisionInfo
from .runtime.values import format_value
from .words import Words

__all__ = [
    "TierTableZh",
    "provision_table_zh",
    "tables_read",
    "tier_applied_zh",
    "tier_table_zh",
]


@attrs.frozen
class TierTableZh:
    """A declared tier table: its title in 《》 (its name when it has none), whether its
    values are rates, and its rows as (档次, 对应的值), in the table's order; ``marks`` is
    how the trace names each row (``from 5 亿元 give``), to find the one a decision used."""

    name: str
    title: str
    rate: bool
    rows: tuple[tuple[str, str], ...]
    marks: tuple[str, ...]

    def said(self) -> str:
        """The rows in one line: ``达到 1 亿元：50 万元；达到 5 亿元：100 万元``."""
        return "；".join(f"{tier}：{value}" for tier, value in self.rows)


def tier_table_zh(w: Words, name: str) -> TierTableZh | None:
    """Table ``name`` in words; ``None`` for a table given as a parameter (its rows are
    the caller's, not the encoding's)."""
    info = w.checked.table(name)
    if info is None:
        return None
    rows, marks = [], []
    for row in info.rows:
        if info.enum:
            tier = w.member(info.key.name or "", str(row.key))
            marks.append(f"`when {row.text} give ")
        else:
            tier = f"达到 {row.text}"
            marks.append(f"`from {row.text} give ")
        rows.append((tier, format_value(row.value, rate=row.rate)))
    title = f"《{info.title}》" if info.title else f"表 {name}"
    rate = any(row.rate for row in info.rows)
    return TierTableZh(name, title, rate, tuple(rows), tuple(marks))


def tables_read(provisions: Sequence[ProvisionInfo]) -> list[str]:
    """The tables the provisions' conditions and amounts read (``x reaches T``, ``T[x]``),
    each once, in order of first use."""
    found: list[str] = []

    def walk(e: s.Node) -> None:
        if isinstance(e, s.TableAt | s.Reaches):
            found.append(e.table)
        for child in s.children(e):
            walk(child)

    for p in provisions:
        for line in p.eligible:
            walk(line.condition)
        if p.amount is not None:
            walk(p.amount.expr)
    return list(dict.fromkeys(found))


def provision_table_zh(w: Words, p: ProvisionInfo) -> TierTableZh | None:
    """The declared table ``p``'s amount is read from by tier (``T[x]``), in words."""
    at = tier_read(p)
    return tier_table_zh(w, at.table) if at is not None else None


def tier_applied_zh(table: TierTableZh, trace: Sequence[Step]) -> list[str]:
    """A decision's lines on its tier, its amount read from ``table``: the row (found by
    the trace's ``tier`` step) and the whole table; none when no row was found."""
    steps = [st.text for st in trace if st.kind == "tier"]
    for (tier, value), mark in zip(table.rows, table.marks, strict=True):
        if any(mark in text for text in steps):
            return [f"所在档次：{tier}（{value}）", f"档次表：{table.title}{table.said()}"]
    return []
