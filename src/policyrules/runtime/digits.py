"""Numbers written with digits or signs other than ASCII (full-width ``１００``, ``３０％``,
Arabic-Indic ``١٠٠``): found, named and written in ASCII for the hint, never read as numbers.
The readers of money, rates and other numbers refuse them (:mod:`.money`, the facts' and the
tables' readers)."""

from __future__ import annotations

import unicodedata

import attrs

from ..errors import excerpt

__all__ = ["NonAsciiDigits", "non_ascii_digits"]

# The signs of a number that have full-width forms (．，－＋％, and the ideographic space), as
# typed in a Chinese input method's full-width mode; a digit of any script other than ASCII
# is found by str.isdecimal.
_NUMBER_SIGNS = frozenset(".,-+% ")


@attrs.frozen
class NonAsciiDigits:
    """A number written with a digit or sign other than ASCII (full-width ``１００``, ``３０％``;
    ``١٠٠`` of another script): the first such character, where it is, and the whole text
    with every such character in ASCII."""

    char: str
    index: int  # from 0
    ascii: str

    @property
    def what(self) -> str:
        """``"１" at character 1 is a full-width digit``."""
        if self.char.isdecimal():
            kind = "a full-width digit" if _full_width(self.char) else "a digit that is not ASCII"
        elif self.char == "\u3000":
            kind = "a full-width space"
        else:
            kind = f"a full-width `{unicodedata.normalize('NFKC', self.char)}`"
        return f'"{self.char}" at character {self.index + 1} is {kind}'

    @property
    def hint(self) -> str:
        """``write ASCII digits: "100 万元"`` (a long text cut: :func:`~.errors.excerpt`)."""
        return f'write ASCII digits: "{excerpt(self.ascii.strip())}"'


def non_ascii_digits(text: str) -> NonAsciiDigits | None:
    """Where ``text`` writes a number with a digit of another script than ASCII (str.isdecimal:
    full-width ``１``, Arabic-Indic ``١``), a full-width sign (``．，－＋％``) or the
    ideographic space, else None.

    Every reader of numbers takes ASCII digits only (``re``'s ``[0-9]``, not ``\\d``, which
    with ``int()`` and ``Decimal()`` also takes the digits of other scripts).

    >>> non_ascii_digits("１００ 万元").hint
    'write ASCII digits: "100 万元"'
    >>> non_ascii_digits("100 万元") is None
    True
    """
    if text.isascii():
        return None
    first: tuple[str, int] | None = None
    out = []
    for i, ch in enumerate(text):
        if not ch.isascii():
            if ch.isdecimal():
                out.append(str(unicodedata.decimal(ch)))
                first = first or (ch, i)
                continue
            sign = unicodedata.normalize("NFKC", ch)
            if sign in _NUMBER_SIGNS and _full_width(ch):
                out.append(sign)
                first = first or (ch, i)
                continue
        out.append(ch)
    return None if first is None else NonAsciiDigits(first[0], first[1], "".join(out))


def _full_width(ch: str) -> bool:
    return ch == "\u3000" or unicodedata.name(ch, "").startswith("FULLWIDTH")
