"""W271: a ceiling of an award's quote that its rules write nowhere.

「按照项目设备投资的20%给予补助，最高不超过2000万元」 encoded with ``cap 20% of
total_investment`` in place of ``cap 2000 万元 per project`` passes W212 (every literal is a
figure of the quote) and pays 3000 万元 to a project of 1.5 亿元.  So each amount of money the
quote puts under a ceiling word (不超过, 最高, 上限, 封顶 …, read by
:func:`policyrules.quote_figures.listed_ceiling_word`, as for W266) must be a literal of the award's
rules (a cap, its exception's ``raise to``, a minimum, a condition), of its clause's own items
(a parameter's default, a table, a define), or, where the award has no quote of its own, of
another award of the clause that the clause's quote may be speaking of.  A ceiling written
nowhere is a warning at the award's first cap (its amount where it has none), naming the
figure and its words.  A ``note`` of the clause or award stating the figure (a ceiling kept by
another clause's pool, or left out on purpose) is the author's reading and silences it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from . import syntax as s
from .check_reading import reading
from .errors import Diagnostic, Span
from .quote_figures import Figure, figures, listed_ceiling_word

__all__ = ["unwritten_ceilings"]

_MULT = {"万": Decimal(10**4), "亿": Decimal(10**8)}
_BREAK = re.compile(r"[，。；,;！？!?\n]")
_Money = tuple[Decimal, str]


def unwritten_ceilings(clause: s.Clause, quote: str) -> list[Diagnostic]:
    """W271 for each money ceiling of the quote of an award of ``clause`` (``quote``, the
    clause's, where the award has none) that no literal of its rules and no note states."""
    own_items = {m for b in clause.body for m in _written(b)}
    every = {m for p in clause.provisions for b in p.body for m in _written(b)}
    out: list[Diagnostic] = []
    for p in clause.provisions:
        if p.kind != "award":
            continue
        r = reading(clause, p, quote)
        has_quote = any(isinstance(b, s.Quote) for b in p.body)
        written = own_items | ({m for b in p.body for m in _written(b)} if has_quote else every)
        written |= {(f.value, f.currency) for n in r.notes for f in figures(n)}
        stated = figures(r.quote)
        warned: set[_Money] = set()
        for f in stated:
            word = listed_ceiling_word(r.quote, f, stated) if f.kind == "money" else None
            key = (f.value, f.currency)
            if word is None or key in written or key in warned:
                continue
            warned.add(key)
            out.append(_w271(p, f, r.quote))
    return out


def _written(node: s.Node) -> Iterator[_Money]:
    """The amounts of money of the literals under ``node``, quotes and notes left out."""
    if isinstance(node, s.Quote | s.Note):
        return
    if isinstance(node, s.MoneyLit):
        mult = _MULT.get(node.unit[:1], Decimal(1))
        yield node.number * mult, node.unit[1:] if node.unit[:1] in _MULT else node.unit
    for child in s.children(node):
        yield from _written(child)


def _w271(p: s.Provision, f: Figure, text: str) -> Diagnostic:
    caps = [b for b in p.body if isinstance(b, s.Cap)]
    amounts = [b for b in p.body if isinstance(b, s.Amount | s.AmountDecided | s.AmountRange)]
    at: Span | None
    if caps:
        at = caps[0].limit.span or caps[0].span
    elif amounts:
        at = amounts[0].span
    else:
        at = p.name_span or p.span
    start = max((m.end() for m in _BREAK.finditer(text, 0, f.start)), default=0)
    end = f.start + len(f.text)
    words = text[start:end].strip() + next(
        (w for w in ("以内", "以下", "为限", "为上限", "封顶") if text[end:].startswith(w)), ""
    )
    shown = _money(f)
    return Diagnostic(
        "W271",
        f"award {p.name}: the quote's ceiling “{words}” is written nowhere in its rules: no "
        f"cap, parameter or note states {f.text}",
        at,
        hint=f"write it as a cap (`cap {shown} per ENTITY`, beside a cap of a rate where the "
        f"text has both); where another rule keeps it (a pool, another clause) or the text "
        f"does not cap this award by it, say so in a `note` of the clause or award stating "
        f"{f.text}",
        severity="warning",
    )


def _money(f: Figure) -> str:
    """``f`` as a literal of the language: ``2000 万元``."""
    for word, mult in reversed(_MULT.items()):
        if f.value >= mult and f.value % mult == 0:
            return f"{(f.value / mult).normalize():f} {word}{f.currency}"
    return f"{f.value.normalize():f} {f.currency}"
