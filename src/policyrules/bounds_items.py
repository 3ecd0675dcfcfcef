"""The bound on the items of one list (``Limits.max_items``), checked in time proportional
to the data's containers and items, and only when the text could hold so long a list.

Reading a list costs far more per item than parsing it (each item is converted to a value
of its declared type), and a data file of a few bytes per item holds millions of them; the
bound keeps one list's cost known.  A fault raises :class:`~policyrules.bounds.Refused`
(E342) at the list's path, which the reader turns into a located error.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .bounds import Limits, Refused

__all__ = ["check_items", "may_exceed", "too_many"]

_KINDS = (dict, list)
_KINDS_SET = frozenset(_KINDS)


def may_exceed(separators: int, limits: Limits) -> bool:
    """Whether a text with ``separators`` item separators (commas, and for YAML line
    breaks) could hold a list longer than the bound: a list of n items has n - 1 of them
    (a YAML block sequence starts each item on a line of its own)."""
    return separators + 1 > limits.max_items


def too_many(bound: int, length: int, where: str) -> Refused:
    """E342 for a list of ``length`` items, more than the bound ``bound``, at path ``where``
    (``""``: the data itself)."""
    shown = where or "the data"
    return Refused(
        "E342",
        f"{shown}: a list of {length:,} items, more than the bound of {bound:,}",
        "split the data, or raise the bound with --max-items / POLICYRULES_MAX_ITEMS",
        where,
    )


def check_items(data: Any, limits: Limits) -> None:
    """Refuse data (mappings, lists and scalars, as read) holding a list of more than
    ``limits.max_items`` items: one pass, level by level, over the containers; the path of
    the first such list (``firms[0].amounts``) is looked for only when there is one."""
    bound = limits.max_items
    level: list[Any] = [data] if type(data) is dict or type(data) is list else []
    seen: set[int] = set()  # shared parts (YAML aliases) are looked at once
    while level:
        below: list[Any] = []
        kids: Iterable[Any]
        for value in level:
            if id(value) in seen:
                continue
            seen.add(id(value))
            if type(value) is list:
                if len(value) > bound:
                    raise _locate(data, bound)
                kids = value
            else:
                kids = value.values()
            if not _KINDS_SET.isdisjoint(map(type, kids)):  # (a list of scalars: no walk)
                below += [v for v in kids if type(v) is dict or type(v) is list]
        level = below


def _locate(data: Any, bound: int) -> Refused:
    """The error for the first list (depth first, in the file's order) longer than ``bound``."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, path = stack.pop()
        if type(value) is list:
            if len(value) > bound:
                return too_many(bound, len(value), path)
            kids = [(f"{path}[{i}]", v) for i, v in enumerate(value) if type(v) in _KINDS]
        else:
            kids = [(f"{path}.{k}" if path else str(k), v) for k, v in value.items()]
            kids = [(p, v) for p, v in kids if type(v) in _KINDS]
        stack += reversed([(v, p) for p, v in kids])
    raise AssertionError("no list longer than the bound")  # pragma: no cover
