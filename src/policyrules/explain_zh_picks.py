"""The Chinese line that says how an amount built of ``min()``/``max()`` came out: each
operand's value and the one taken (「贴息利率不超过同期LPR」: the interest paid, or the LPR
ceiling where it is less).  Read from the trace's notes
(:func:`policyrules.exprs` notes ``min(x, y): x = …; y = …; the least: y``), said in the
words of :class:`~policyrules.words.Words`.  Below :mod:`policyrules.explain_zh`.
"""

from __future__ import annotations

from . import syntax as s
from .decisions import Decision
from .model import ProvisionInfo
from .printer import print_expr
from .words import Words

__all__ = ["picks_zh"]


def _calls(e: s.Node) -> list[s.Call]:
    """The min/max calls of two or more operands in ``e``, inner ones first."""
    out: list[s.Call] = []
    for c in s.children(e):
        out += _calls(c)
    if isinstance(e, s.Call) and e.func in ("min", "max") and len(e.args) > 1:
        out.append(e)
    return out


def picks_zh(w: Words, p: ProvisionInfo | None, d: Decision) -> list[str]:
    """``企业实际支付的利息 413,700.00 元、贷款本金的LPR 345,000.00 元中取较小者：
    贷款本金的LPR，345,000.00 元``: one line a min/max of the amount the trace noted (none
    where it was not computed: an operand unknown)."""
    if p is None or not isinstance(p.amount, s.Amount):
        return []
    notes = [st.text for st in d.trace if st.kind == "amount"]
    out = []
    for call in _calls(p.amount.expr):
        head, said = f"{print_expr(call)}: ", [print_expr(a) for a in call.args]
        note = next((n for n in notes if n.startswith(head)), None)
        if note is None:
            continue
        *parts, last = note[len(head) :].split("; ")
        values = [part.removeprefix(f"{t} = ") for t, part in zip(said, parts, strict=True)]
        taken = said.index(last.split(": ", 1)[1])
        operands = "、".join(
            f"{w.expr(a, p.subject)} {v}" for a, v in zip(call.args, values, strict=True)
        )
        word = "较小" if call.func == "min" else "较大"
        chosen = w.expr(call.args[taken], p.subject)
        out.append(f"{operands}中取{word}者：{chosen}，{values[taken]}")
    return out
