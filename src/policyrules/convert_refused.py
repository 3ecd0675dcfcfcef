"""A value refused by its declared type (:class:`ValueRefused`), and how a refusal shows the
value it refused (:func:`show`, :func:`kind_of`) and reads a number written bare
(:func:`numeral`).

Below :mod:`policyrules.convert` and the readers it calls (:mod:`policyrules.convert_money`),
which raise it; callers catch it as :mod:`policyrules.convert` exports it.

>>> kind_of(5), kind_of("x"), show(None)
('the number 5', 'text "x"', 'nothing')
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from .errors import excerpt, int_writable, quoted
from .reading import Numeral, YamlNumeral

__all__ = ["ValueRefused", "kind_of", "numeral", "quoted_text", "show"]


class ValueRefused(ValueError):
    """A value that is not one of its declared type: a message, an error code and a hint."""

    def __init__(self, message: str, code: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.hint = hint


quoted_text = '"{}"'.format  # a text as a message quotes it (in an excerpt if long)

_PLAIN_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?", re.ASCII)


def show(v: object) -> str:
    """``v`` as a message quotes it: text in double quotes, a number as written, each cut as
    an :func:`~policyrules.errors.excerpt` (:func:`~policyrules.errors.quoted` decides)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:  # an empty value (`--assume x=`, `x:` in YAML), never Python's None
        return "nothing"
    # A Numeral is text that was written as a number: shown as written, without quotes.
    return quoted(v, str if isinstance(v, Numeral) else quoted_text, str)


def kind_of(v: object) -> str:
    """How a raw value reads in a message: ``the number 5``, ``text "x"``, ``a list`` (a
    long number or text cut: :func:`~policyrules.errors.excerpt`)."""
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, int) and not int_writable(v):
        return show(v)  # its size: "a whole number of about 5000 digits"
    if isinstance(v, int | Numeral | Decimal):
        return f"the number {show(v)}"
    if isinstance(v, str):
        return f"text {show(v)}"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, dt.date):
        return "a date"
    if v is None:
        return "nothing"
    return type(v).__name__


def _yaml_number(v: YamlNumeral, what: str) -> Decimal:
    """A plain YAML number as a Decimal, if every reading of it agrees (E310 otherwise)."""
    if _PLAIN_DECIMAL.fullmatch(v):
        return Decimal(v)
    raise ValueRefused(
        f"{excerpt(v)} is ambiguous as {what}: YAML 1.1 and 1.2 read it differently",
        "E310",
        f"quote it ({excerpt(v, quoted_text)}) if it is text, or write the number plainly "
        "(digits and one point)",
    )


def numeral(v: Numeral, what: str) -> Decimal:
    """A number written bare in a file as a Decimal; ``what`` (``a year``) names it in the
    refusal of a YAML number read otherwise by YAML 1.1 and 1.2 (E310)."""
    if isinstance(v, YamlNumeral):
        return _yaml_number(v, what)
    try:
        return Decimal(v)
    except InvalidOperation:  # pragma: no cover - JSON's grammar is Decimal's
        raise ValueRefused(f"not {what}: {excerpt(v)}") from None
