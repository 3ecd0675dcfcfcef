"""Which ids a user meant by one that is not there: the "did you mean" of an id.

``difflib``'s similarity (the one :func:`policyrules.errors.did_you_mean` uses for names)
misses short ids: ``P1`` for ``p1`` is one character in two, a ratio of 0.5, under its 0.6
cut-off; and ``71`` for ``0071`` ties with ``7100``, ``0711`` and ``1071`` (0.67 each),
the tie going to the greatest string, ``7100``.  An id is more often written differently
than mistyped, so the same id written differently comes first, found by its :func:`id_key`
(leading zeros, case, white space, invisible characters, full-width or another script's
digits, O for 0 and I or l for 1 set aside); only when there is none, the ids one edit away
(two for a longer id: :func:`edit_limit`) once written alike (:func:`id_text`: the key
with its zeros kept, so that ``0700`` is not offered ``7100``).  :func:`ids_hint` words at
most :data:`SHOWN` of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = ["SHOWN", "edit_limit", "id_key", "id_text", "ids_hint"]

SHOWN = 3  # ids named at most in one hint
_LOOKALIKE = str.maketrans("oil", "011")  # after lower(): O o → 0, I i l → 1
_LEADING_ZEROS = re.compile(r"(^|[^0-9])0+(?=[0-9])")


def _plain(c: str) -> str:
    if c.isspace() or unicodedata.category(c) == "Cf":
        return ""
    if c.isdecimal():  # ٠ ० ０ ... as 0 (NFKC alone leaves another script's digits)
        return str(unicodedata.decimal(c))
    return c


def id_text(text: str) -> str:
    """The id written alike: white space and invisible characters dropped, full-width forms
    and every script's digits as ASCII, lower case, O as 0, I and l as 1.

    >>> [id_text(s) for s in ("P-01", " p-0１ ", "PI\u200b")]
    ['p-01', 'p-01', 'p1']
    """
    text = "".join(_plain(c) for c in unicodedata.normalize("NFKC", text))
    return text.lower().translate(_LOOKALIKE)


def id_key(text: str) -> str:
    """The id with what does not tell ids apart to a reader set aside: :func:`id_text`,
    each run of digits without its leading zeros.

    >>> [id_key(s) for s in ("0071", "71", " 0７1 ", "O71", "٠٠٧١")]
    ['71', '71', '71', '71', '71']
    >>> [id_key(s) for s in ("P1", "p01", "pI", "F00000003", "F0000003", "a0b0")]
    ['p1', 'p1', 'p1', 'f3', 'f3', 'a0b0']
    """
    return _LEADING_ZEROS.sub(r"\1", id_text(text))


def edit_limit(text: str) -> int:
    """How many edits (a character added, dropped, changed, or two swapped) from an id's
    :func:`id_text` another id's may be to be offered: one, two from six characters.

    >>> edit_limit("701"), edit_limit("f00013")
    (1, 2)
    """
    return 1 if len(text) < 6 else 2


def _listed(ids: Sequence[str]) -> str:
    shown = [repr(i) for i in ids[:SHOWN]]
    if len(shown) == 1:
        return shown[0]
    return f"{', '.join(shown[:-1])} or {shown[-1]}"


def ids_hint(same: Sequence[str], close: Sequence[str]) -> str | None:
    """The hint naming ``same`` (the ids whose :func:`id_key` is the given one's) or else
    ``close`` (those a few edits away), best first, at most :data:`SHOWN`; None for none.

    >>> ids_hint(["0071"], [])
    "did you mean '0071'? an id is compared exactly as written (zeros, case, spaces)"
    >>> ids_hint([], ["0702", "0710", "0711", "7010"])
    "did you mean '0702', '0710' or '0711'?"
    >>> ids_hint([], []) is None
    True
    """
    if same:
        return (
            f"did you mean {_listed(same)}? an id is compared exactly as written "
            "(zeros, case, spaces)"
        )
    return f"did you mean {_listed(close)}?" if close else None
