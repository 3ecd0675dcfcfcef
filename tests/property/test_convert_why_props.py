"""The reasons refusals give (policyrules.convert_why) never fail themselves: any text, any
value, gives a reason or none, and a money text the reader accepts is given none."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from policyrules.convert import MONEY_PATTERN
from policyrules.convert_why import date_hint, enum_guess, serial_day_hint, why_not_money

_MONEYISH = st.from_regex(r"\A[0-9,.]{0,8} {0,2}(万元|亿元|元|万|亿)?\Z")


@given(st.one_of(st.text(), _MONEYISH))
def test_why_not_money_answers_any_text(text: str) -> None:
    why = why_not_money(text)
    assert why is None or (why[0] and why[1])


@given(st.from_regex(MONEY_PATTERN, fullmatch=True))
def test_money_the_reader_takes_has_no_reason(text: str) -> None:
    """A reason is only for what the facts' pattern refuses (the caller asks only then;
    a reason for an accepted text would mean the two rules drifted apart)."""
    assert why_not_money(text) is None


@given(st.one_of(st.text(), st.integers(), st.booleans(), st.none()))
def test_serial_day_hint_answers_any_value(value: object) -> None:
    hint = serial_day_hint(value)
    assert hint is None or "spreadsheet's day number" in hint


@given(st.text(), st.lists(st.tuples(st.text(min_size=1), st.none() | st.text())))
def test_enum_guess_names_a_member_or_none(
    written: str, members: list[tuple[str, str | None]]
) -> None:
    meant = enum_guess(written, tuple(members))
    assert meant is None or meant in {name for name, _ in members}


def test_serial_day_hint_never_converts_a_huge_number() -> None:
    """A date cell of 100,001 digits (an error excerpt's test) is no day number, and is
    never handed to int() (Python refuses to convert more than 4,300 digits)."""
    assert serial_day_hint("9" * 100_001) is None
    assert serial_day_hint(10**5000) is None


_SPELLINGS = (
    "{y}/{m}/{d}", "{y}.{m:02d}.{d:02d}", "{y}-{m}-{d}", "{y}年{m}月{d}日", "{y}{m:02d}{d:02d}",
)  # fmt: skip


@given(st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)), st.sampled_from(_SPELLINGS))
def test_date_hint_names_the_day_a_spelling_spells(day: dt.date, spelling: str) -> None:
    """Year, month and day in that order, however separated: the hint names that day."""
    text = spelling.format(y=day.year, m=day.month, d=day.day)
    assert date_hint(text) == f"write it as {day.isoformat()} (dates are YYYY-MM-DD)"


@given(st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)))
def test_date_hint_gives_both_readings_of_an_ambiguous_day(day: dt.date) -> None:
    """Day and month first (D/M/YYYY): the day meant, or both readings where both are days
    and differ; never one of two silently."""
    hint = date_hint(f"{day.day}/{day.month}/{day.year}")
    if day.day <= 12 and day.day != day.month:
        swapped = day.replace(month=day.day, day=day.month).isoformat()
        assert f"{day.isoformat()} (day first) or {swapped} (month first)" in hint
    else:
        assert hint == f"write it as {day.isoformat()} (dates are YYYY-MM-DD)"


@given(st.one_of(st.text(), st.integers(), st.datetimes(), st.none()))
def test_date_hint_answers_any_value(value: object) -> None:
    assert date_hint(value)


def test_date_hint_reads_eight_digits_given_as_a_number() -> None:
    """20260305 from JSON or Python (an int) is named as the text is."""
    assert date_hint(20260305) == "write it as 2026-03-05 (dates are YYYY-MM-DD)"
    assert date_hint(True) == "write the day as YYYY-MM-DD, e.g. 2026-05-01"
