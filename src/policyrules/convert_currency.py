"""Facts in other currencies: ``"12,000 美元"``, ``"1.2 万欧元"``, and dated exchange rates.

* An amount of ``money(USD)`` is text with its unit (美元, 万美元, 亿美元; 欧元 likewise), whole
  cents; a bare number is refused (E346): which currency it is would be a guess.
* An ``exchange(USD)`` is a mapping ``{rate: "7.1234", date: 2026-01-05}``: 元 per one 美元,
  exact, and the day it was published (E347 otherwise).

:class:`CurrencyRefused` carries the code and a hint; the facts reader reports it at the
value's place.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from .errors import line_break_hint, quoted
from .runtime.currency import CURRENCIES, UNITS, ExchangeRate, Foreign
from .runtime.money import non_ascii_digits

__all__ = [
    "EXCHANGE_RATE",
    "CurrencyRefused",
    "exchange_hint",
    "foreign_pattern",
    "read_exchange",
    "read_foreign",
]

# An exchange rate's number as text (元 per one unit: "7.1234"): digits, at most one point;
# not "1e1", "7_1", " 7.1" or "+7.1", which Decimal() would read.  Unanchored: the reader
# matches it whole, the JSON Schema (convert_schema) anchors it.
EXCHANGE_RATE = r"[0-9]+(?:\.[0-9]+)?"

_RATE_TEXT = re.compile(EXCHANGE_RATE, re.ASCII)


class CurrencyRefused(ValueError):
    """A value that is not an amount of the currency, or not a dated rate."""

    def __init__(self, message: str, code: str, hint: str) -> None:
        super().__init__(message)
        self.code = code
        self.hint = hint


def foreign_pattern(currency: str) -> str:
    """The regular expression of an amount of ``currency`` written as text."""
    units = "|".join(u for u, (c, _) in UNITS.items() if c == currency)
    # [0-9], not \d: Python's \d takes the digits of every script (full-width １２), the JSON
    # Schema's only ASCII ones
    number = r"[0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)?|[0-9]+(\.[0-9]+)?"
    return rf"^\s*(?:{number})\s*({units})\s*$"


def read_foreign(v: Any, currency: str) -> Foreign:
    """``v`` (text with its unit) as an amount of ``currency``."""
    word = CURRENCIES[currency]
    hint = f'write the unit: "12,000 {word}" or "1.2 万{word}"'
    if not isinstance(v, str) or isinstance(v, bool):
        shown = quoted(v)
        raise CurrencyRefused(
            f"an amount in {word} is text with its unit, not {shown}", "E346", hint
        )
    m = re.fullmatch(foreign_pattern(currency), v)
    if m is None:
        raise CurrencyRefused(f"not an amount in {word}: {quoted(v)}", "E346", hint)
    text = v.strip()
    unit = next(u for u in UNITS if text.endswith(u))
    number = Decimal(text.removesuffix(unit).strip().replace(",", ""))
    try:
        return Foreign.of(number, unit)
    except ValueError as exc:
        raise CurrencyRefused(str(exc), "E346", "amounts are whole cents") from None


def exchange_hint(name: str, flag: str) -> str:
    """How to give the exchange rate ``name``: in a facts file and on the command line (the
    same mapping, quoted for the shell), e.g. ``--set usd_cny='{rate: "7.1234", …}'``."""
    form = '{rate: "7.1234", date: 2026-01-05}'
    return (
        f"元 per 1 unit and the day published: `{name}: {form}` in a facts file, "
        f"{flag} {name}='{form}' on the command line"
    )


def read_exchange(v: Any, currency: str) -> ExchangeRate:
    """``{rate: "7.1234", date: 2026-01-05}`` as 元 per one unit of ``currency`` on a date."""
    word = CURRENCIES[currency]
    hint = f'e.g. `{{rate: "7.1234", date: 2026-01-05}}`: 元 per 1 {word}, and the day published'
    if not isinstance(v, dict) or set(v) != {"rate", "date"}:
        shown = quoted(v)
        raise CurrencyRefused(f"an exchange rate is a rate and a date, not {shown}", "E347", hint)
    raw, day = v["rate"], v["date"]
    if isinstance(raw, str) and (found := non_ascii_digits(raw)) is not None:
        # Decimal() would read "７.１" (the digits of any script); the facts reader does not
        message = f"the rate of {word} is a number above 0, not {quoted(raw)} ({found.what})"
        raise CurrencyRefused(message, "E347", found.hint)
    rate: Decimal | None = None
    if isinstance(raw, str):  # as the JSON Schema: digits and a point (not 1e1, 7_1)
        rate = Decimal(raw) if _RATE_TEXT.fullmatch(raw) else None
        bare = raw.rstrip("\r\n")
        if rate is None and bare != raw and _RATE_TEXT.fullmatch(bare) and Decimal(bare) > 0:
            # "7.1\n", from a YAML block scalar: refused as the number readers refuse it
            message = f"the rate of {word} is a number above 0, not {quoted(raw)}"
            raise CurrencyRefused(
                f"{message} (it ends in a line break)", "E347", line_break_hint(bare)
            )
    elif isinstance(raw, int | Decimal) and not isinstance(raw, bool):
        rate = Decimal(raw)  # an exact value from Python: 7, Decimal("7.1234")
    if rate is None or not rate.is_finite() or rate <= 0:
        shown = quoted(str(raw) if isinstance(raw, Decimal) else raw)
        raise CurrencyRefused(f"the rate of {word} is a number above 0, not {shown}", "E347", hint)
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            day = None
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise CurrencyRefused(
            f"the date of the {word} rate is YYYY-MM-DD, not {quoted(day)}", "E347", hint
        )
    return ExchangeRate(currency, rate, day)
