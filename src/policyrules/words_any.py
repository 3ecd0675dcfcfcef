"""An ``or`` of tests of one value in a reader's words, said once: ``kind = park or kind in
{pilot, centre}`` reads ``项目类型是“园区项目”、“中试平台”或“创新中心”之一``, and
``year(d) - 1 in years or year(d) - 2 in years`` reads ``年份包含日期所在年度减 1 或 2 中的
至少一个``, not the value's title once a test.  Below :mod:`policyrules.words`, which says
each part (``say``) and spaces the parts (``sp``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from . import syntax as s
from .printer import print_expr

__all__ = ["any_of", "one_of"]

Say = Callable[[s.Expr], str]
Sp = Callable[..., str]

_PLAIN = (s.NumberLit, s.MoneyLit, s.RateLit, s.DurationLit)


def any_of(operands: Sequence[s.Expr], say: Say, sp: Sp) -> str | None:
    """The operands of an ``or`` (flattened, an ``if`` on an assumption already taken)
    said once where each tests one value: ``x = a``, ``x in {a, b}`` of one ``x``
    (``x是a、b或c之一``), or ``a in S`` of one set ``S`` (``S包含a、b或c中的至少一个``);
    ``None`` for any other ``or``."""
    if len(operands) < 2:
        return None
    values: list[s.Expr] = []
    tested: dict[str, s.Expr] = {}
    for e in operands:
        if isinstance(e, s.InSet) and not e.negated and isinstance(e.container, s.SetLit):
            tested.setdefault(print_expr(e.element), e.element)
            values += e.container.items
        elif isinstance(e, s.Compare) and e.op == "=" and not isinstance(e.right, s.SetLit):
            tested.setdefault(print_expr(e.left), e.left)
            values.append(e.right)
        else:
            break
    else:
        if len(tested) == 1 and values:
            (subject,) = tested.values()
            return sp(say(subject), "是", one_of(values, say, sp), "之一")
    sets = {print_expr(e.container) for e in operands if isinstance(e, s.InSet)}
    found = [e for e in operands if isinstance(e, s.InSet) and not e.negated]
    if len(found) == len(operands) and len(sets) == 1:
        first_set = found[0].container
        if not isinstance(first_set, s.SetLit):
            elements = one_of([e.element for e in found], say, sp)
            return sp(say(first_set), "包含", elements, "中的至少一个")
    return None


def one_of(values: Sequence[s.Expr], say: Say, sp: Sp) -> str:
    """Values as alternatives, once each: ``a、b或c``; of one left side and operator with a
    plain number on the right (``d - 1``, ``d - 2``), that side said once: ``d减 1、2 或 3``."""
    seen: dict[str, s.Expr] = {}
    for v in values:
        seen.setdefault(print_expr(v), v)
    kept = list(seen.values())
    texts: list[str]
    first = kept[0]
    if (
        len(kept) > 1
        and isinstance(first, s.BinOp)
        and all(
            isinstance(v, s.BinOp)
            and v.op == first.op
            and isinstance(v.right, _PLAIN)
            and print_expr(v.left) == print_expr(first.left)
            for v in kept
        )
    ):
        texts = [say(first)] + [say(v.right) for v in kept[1:] if isinstance(v, s.BinOp)]
    else:
        texts = [say(v) for v in kept]
    if len(texts) == 1:
        return texts[0]
    return sp("、".join(texts[:-1]), "或", texts[-1])
