"""Two ways :mod:`policyrules.words` says an expression that has no words of its own.

:func:`min_max_bound` says ``min(rent_months, 24)``, a value held under (or over) one literal
bound, the way a policy text says a ceiling (最长24个月): ``已租用月数（至多按 24 计）``.
:func:`coded` writes an expression the words cannot say as the formatter does, in 「」, with
each name said by its title, so no identifier reaches a reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import syntax as s
from .printer import print_expr
from .words_values import spaced

__all__ = ["coded", "min_max_bound"]

_LITERALS = (s.MoneyLit, s.RateLit, s.DurationLit, s.NumberLit)
# A name as the formatter writes it (not inside a quoted string's word, not after a dot).
_NAME = re.compile(r"(?<![\w.\"])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


def min_max_bound(
    e: s.Expr, part: Callable[[s.Expr], str], say: Callable[[s.Expr], str]
) -> str | None:
    """``min(x, 24)`` (either order) as ``x（至多按 24 计）``, ``max`` with 至少; ``part``
    says ``x`` (bracketed if compound), ``say`` the bound.  None for any other expression,
    and for a min or max of two literals or of two values (said as 较小者/较大者)."""
    if not (isinstance(e, s.Call) and e.func in ("min", "max") and len(e.args) == 2):
        return None
    literal = [isinstance(a, _LITERALS) for a in e.args]
    if literal.count(True) != 1:
        return None
    value, limit = (e.args[1], e.args[0]) if literal[0] else (e.args[0], e.args[1])
    word = "至多按" if e.func == "min" else "至少按"
    return f"{part(value)}（{spaced(word, say(limit), '计')}）"


def coded(e: s.Expr, name: Callable[[s.Name], str]) -> str:
    """``e`` as the formatter writes it, in 「」, each name as ``name`` says it
    (``「ratio(已租用月数)」``); a builtin's name stays."""
    said: dict[str, str] = {}
    stack: list[s.Node] = [e]
    while stack:
        x = stack.pop()
        if isinstance(x, s.Name):
            said[x.dotted] = name(x)
        stack += s.children(x)
    return "「" + _NAME.sub(lambda m: said.get(m[0], m[0]), print_expr(e)) + "」"
