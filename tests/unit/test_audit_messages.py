"""Smaller faults of the new-user audit (issue 9): errors that named no place, a tab shown
as a space, a year shown as 1."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from policyrules import FactsError
from policyrules.errors import CalendarError
from policyrules.reading import Limits, read_data
from policyrules.runtime.calendar import DurationUnit, WorkCalendar


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ('firms:\n  - id: F1\n    name: "a\x07b"\n', 3, 13),  # inside a quoted string
        ("firms:\n  - id: F1\n\x07\n", 3, 1),  # alone on a line
        # after 中 (3 bytes in UTF-8): the column counts characters, not bytes
        ('firms:\n  - id: 中\n    name: "中\x1b"\n', 3, 13),
        ("grants:\n  - provision: \x7f\n", 2, 16),  # DEL, in a ledger
    ],
)
def test_control_character_in_yaml_is_located(
    tmp_path: Path, text: str, line: int, col: int
) -> None:
    """It used to be `E302 … in "<unicode string>", position 26`, with no file or line."""
    f = tmp_path / "x.yaml"
    f.write_text(text, "utf-8")
    with pytest.raises(FactsError) as info:
        read_data(f, Limits())
    (d,) = info.value.diagnostics
    assert d.code == "E302"
    assert d.span is not None
    assert (d.span.file, d.span.line, d.span.col) == (str(f), line, col)
    assert "<unicode string>" not in str(info.value)


def test_tab_in_the_shown_source_line_is_escaped(tmp_path: Path) -> None:
    """Under "found character '\\t'", the line shows the tab as `\\x09` (docs/cli.md), the
    caret under it: 4 cells wide."""
    f = tmp_path / "t.yaml"
    f.write_text("firms:\n\t- id: F1\n", "utf-8")
    with pytest.raises(FactsError) as info:
        read_data(f, Limits())
    shown, caret = str(info.value).splitlines()[1:3]
    assert shown == "    2 | \\x09- id: F1"
    assert caret == "      | ^^^^"


def test_year_one_is_shown_as_0001() -> None:
    """3 工作日 after 0001-01-01 needs year 1's schedule, none published: named 0001."""
    with pytest.raises(CalendarError) as info:
        WorkCalendar().due_date(dt.date(1, 1, 1), 3, DurationUnit.WORKDAY)
    assert "no holiday schedule is available for 0001 (published: " in str(info.value)
