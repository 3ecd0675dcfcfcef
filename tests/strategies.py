"""Hypothesis strategies shared by the property tests.

Import them by module name (``from strategies import money``): ``tests/`` is on ``sys.path``
because it holds ``conftest.py``.  Calendar strategies stay inside 2005–2026, years whose
official holiday schedule is published, unless their name says otherwise.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from policyrules.runtime.money import Money

__all__ = [
    "FIRST_PUBLISHED",
    "LAST_PUBLISHED",
    "money",
    "nonnegative_money",
    "published_dates",
    "rates",
    "unpublished_dates",
    "workday_counts",
]

FIRST_PUBLISHED = date(2005, 1, 1)
"""The first day the calendar strategies draw (the package's data starts in 2004)."""
LAST_PUBLISHED = date(2026, 12, 31)
"""The last day of the last year with a published holiday schedule."""

_BIG_FEN = 10**15  # 10 万亿元


def money(min_fen: int = -_BIG_FEN, max_fen: int = _BIG_FEN) -> st.SearchStrategy[Money]:
    """Amounts between ``min_fen`` and ``max_fen``, often whole 元, 万元 or 亿元."""

    def scaled(size: int) -> st.SearchStrategy[Money]:
        low, high = -(-min_fen // size), max_fen // size
        return st.integers(low, high).map(lambda k: Money(k * size))

    return st.one_of(
        st.integers(min_fen, max_fen).map(Money),
        st.integers(-10_000, 10_000).filter(lambda f: min_fen <= f <= max_fen).map(Money),
        *(
            scaled(size)
            for size in (100, 1_000_000, 10_000_000_000)
            if min_fen // size < max_fen // size
        ),
    )


def nonnegative_money(max_fen: int = _BIG_FEN) -> st.SearchStrategy[Money]:
    """Amounts from zero to ``max_fen``."""
    return money(0, max_fen)


def rates(max_value: int = 2, max_places: int = 8) -> st.SearchStrategy[Decimal]:
    """Non-negative exact rates up to ``max_value`` with at most ``max_places`` decimal places."""
    return st.integers(0, max_places).flatmap(
        lambda places: st.integers(0, max_value * 10**places).map(
            lambda k: Decimal(f"{k}E-{places}")
        )
    )


def published_dates(
    min_value: date = FIRST_PUBLISHED, max_value: date = LAST_PUBLISHED
) -> st.SearchStrategy[date]:
    """Dates in 2005–2026, narrowed to ``[min_value, max_value]``."""
    return st.dates(max(min_value, FIRST_PUBLISHED), min(max_value, LAST_PUBLISHED))


def unpublished_dates(
    min_value: date = date(2027, 1, 1), max_value: date = date(2060, 12, 31)
) -> st.SearchStrategy[date]:
    """Dates after the last published year, for the WEEKENDS_ONLY assumption."""
    return st.dates(max(min_value, date(LAST_PUBLISHED.year + 1, 1, 1)), max_value)


def workday_counts(max_value: int = 150) -> st.SearchStrategy[int]:
    """Period lengths from 0 to ``max_value``; 150 working days is under 8 months."""
    return st.integers(0, max_value)
