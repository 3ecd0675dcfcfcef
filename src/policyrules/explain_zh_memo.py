"""What the Chinese text of a decision says the same way for every decision of one policy,
made once per :class:`~policyrules.words.Words` and kept.

:func:`~policyrules.explain_zh.decision_text_zh` says each decision from the policy's words:
a cap in words (printed from its expression, then said), an entity's or a fact's title (a
scan of the policy's entities), the parameters' and the assumptions' lines, the words with
the assumptions a decision used (a new :class:`~policyrules.words.Words` each time).  Those
are the same for every decision that shares the provision, the fact or the assumptions: about
nine tenths of the text's cost for 10^4 claims of one measure.  Here each is made on first
use and kept, per words object (a frozen value: what it says of a key never changes).

The memos are bounded: a words object holds at most :data:`PER_WORDS` entries of each kind
(a cap's words, a scope, a fact's value...), and at most
:data:`_WORDS_MAX` words objects have memos (beyond that, a new one replaces them all);
past a bound a line is made, not kept.  A memo keeps its words object alive, so a words
object found by its ``id`` is the one the memo was made for (checked, not assumed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from .words import Words

__all__ = ["PER_WORDS", "keep", "memo", "memos"]

T = TypeVar("T")

_WORDS_MAX = 64
PER_WORDS = 16_384  # entries of one kind kept for one words object
_MEMOS: dict[int, tuple[Words, dict[str, dict[Any, Any]]]] = {}


def memos(w: Words, kind: str) -> dict[Any, Any]:
    """The memo of ``kind`` (a name: each kind is bounded on its own) kept for ``w``; a
    caller adds to it by :func:`keep`, which keeps it within :data:`PER_WORDS` entries."""
    got = _MEMOS.get(id(w))
    if got is None or got[0] is not w:
        if len(_MEMOS) >= _WORDS_MAX:
            _MEMOS.clear()
        got = _MEMOS[id(w)] = (w, {})
    kept = got[1].get(kind)
    if kept is None:
        kept = got[1][kind] = {}
    return kept


def keep(kept: dict[Any, Any], key: Any, value: Any) -> None:
    """``kept[key] = value`` while ``kept`` holds fewer than :data:`PER_WORDS` entries."""
    if len(kept) < PER_WORDS:
        kept[key] = value


def memo(w: Words, key: Any, make: Callable[[], T]) -> T:
    """What ``make()`` gives for ``key`` under the words ``w``, made once and kept
    (``key``: hashable, its first item the kind of memo, and saying everything ``make``
    reads besides ``w``)."""
    kept = memos(w, key[0])
    value: T
    try:
        value = kept[key]
    except KeyError:
        value = make()
        keep(kept, key, value)
    return value
