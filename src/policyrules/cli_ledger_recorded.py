"""What ``eval --ledger STORE`` says it recorded, on standard error, in the run's language.

A run that grants something says how many grants and how much it recorded.  A run that
grants nothing new (the store pays each grant once: a firm whose grants were imported with
``ledger import``, or recorded by an earlier run) used to say ``recorded 0 grant(s), 0.00
元``, which reads as an empty store; it says that nothing new was recorded and what the
store already holds for the evaluated firms.
"""

from __future__ import annotations

from pathlib import Path

from .instances import Facts
from .runtime.ledger import Ledger
from .store import LedgerStore

__all__ = ["recorded_text"]

_SHOWN = 3  # firms named; more are counted


def recorded_text(src: Path, paid: Ledger, store: LedgerStore, facts: Facts, lang: str) -> str:
    """The line for ``paid``, the grants this run recorded in ``store`` (at ``src``); with
    none, the store's grants to the firms of ``facts`` (the outermost owners), read again."""
    zh = lang == "zh"
    if paid.grants:
        if zh:
            return f"已在 {src} 记录 {len(paid)} 笔发放，{paid.total().format_cn()}"
        return f"recorded {len(paid)} grant(s), {paid.total()}, in {src}"
    firms = sorted({i.id for insts in facts.instances.values() for i in insts if i.parent is None})
    held = store.grants(firms)
    named = ("、" if zh else ", ").join(firms[:_SHOWN])
    if len(firms) > _SHOWN:
        named += f" 等 {len(firms)} 家" if zh else f" and {len(firms) - _SHOWN} more"
    if not held.grants:
        if zh:
            return f"{src} 未记录发放：本次没有发放，该库也没有 {named} 的发放"
        return f"nothing recorded in {src}: this run granted nothing, and it holds none to {named}"
    if zh:
        return (
            f"{src} 未记录新的发放：该库已有 {named} 的发放 {len(held)} 笔，"
            f"{held.total().format_cn()}，本次不再发放"
        )
    return (
        f"nothing new recorded in {src}: it already holds {len(held)} grant(s) to {named}, "
        f"{held.total()}, which this run does not pay again"
    )
