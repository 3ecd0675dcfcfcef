"""Natural order of identifiers: product 9 before product 10, as a person numbers them.

An id is split into runs of decimal digits and runs of other characters.  Digit runs compare
as whole numbers (9 < 10 < 0011 < 12); two runs of equal value compare by their text next,
so ``"07"`` and ``"7"`` still differ, deterministically (``"07"`` first).  Other runs compare
as text (by code point).  At one position a digit run comes before a non-digit run.  Any
Unicode decimal digit counts (full-width ``１２`` is the number 12).  No run is converted to
an ``int``, so ids of any length compare without a size limit.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["NaturalKey", "natural_key", "natural_path_key"]

_RUNS = re.compile(r"(\d+)")

# (0, digit count, digits without leading zeros, text) for a digit run; (1, 0, "", text) else.
NaturalKey = tuple[tuple[int, int, str, str], ...]


def _ascii(run: str) -> str:
    return run if run.isascii() else "".join(str(unicodedata.decimal(c)) for c in run)


@functools.lru_cache(maxsize=1 << 16)
def natural_key(text: str) -> NaturalKey:
    """The sort key of ``text`` in natural order (see the module's docstring); the keys of
    the most recent 65,536 ids are kept, as the same ids come back under every provision."""
    key: list[tuple[int, int, str, str]] = []
    for i, run in enumerate(_RUNS.split(text)):
        if not run:
            continue
        if i % 2:
            digits = _ascii(run).lstrip("0")
            key.append((0, len(digits), digits, run))
        else:
            key.append((1, 0, "", run))
    return tuple(key)


@functools.lru_cache(maxsize=1 << 16)
def natural_path_key(path: tuple[tuple[str, str], ...]) -> tuple[tuple[str, NaturalKey], ...]:
    """A path ((entity, id), ...) from the firm down, each id in natural order (kept for
    the most recent 65,536 paths: a subject comes back under every provision)."""
    return tuple((entity, natural_key(ident)) for entity, ident in path)
