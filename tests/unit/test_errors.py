"""Errors and their rendering: codes, carets, hints, clause paths, builtin bases."""

from __future__ import annotations

import pytest

from policyrules import (
    CalendarError,
    EvaluationError,
    FactsError,
    PolicyRulesError,
    RuleCheckError,
    RuleSyntaxError,
)
from policyrules.errors import Diagnostic, Span, did_you_mean, first_line, render


def test_render_with_caret_hint_and_path() -> None:
    """The full rendering: location, code, message, line, caret, hint and clause path."""
    d = Diagnostic(
        "E203",
        "unknown fact 'aproved_on'",
        Span("a.rule", 2, 17, 2, 27, clause_path=("doc", "3")),
        hint="did you mean 'approved_on'?",
    )
    expected = (
        "a.rule:2:17: error[E203]: unknown fact 'aproved_on'\n"
        "    2 |   eligible when aproved_on in force\n"
        "      |                 ^^^^^^^^^^\n"
        "      = hint: did you mean 'approved_on'?\n"
        "      = in: doc > 3"
    )
    assert expected == render(d, "x\n  eligible when aproved_on in force\n")


def test_render_without_source_or_span() -> None:
    """With no source only the first line shows; with no span no location."""
    expected = ("a.rule:1:1: error[E1]: m", "error[E300]: bad")
    actual = (
        render(Diagnostic("E1", "m", Span("a.rule", 1, 1, 1, 2))),
        render(Diagnostic("E300", "bad")),
    )
    assert expected == actual


def test_caret_is_wide_under_full_width_text() -> None:
    """A caret under Chinese text takes two cells per character."""
    d = Diagnostic("E1", "m", Span("a", 1, 3, 1, 5))
    expected = ["    1 | 奖励上限", "      |     ^^^^"]
    assert expected == render(d, "奖励上限").splitlines()[1:]


def test_multiline_span_underlines_to_line_end() -> None:
    """A span over several lines is underlined to the end of its first line."""
    d = Diagnostic("E1", "m", Span("a", 1, 3, 3, 1))
    expected = "      |   ^^^^"
    assert expected == render(d, "ab cde\nx\ny").splitlines()[2]


def test_did_you_mean() -> None:
    """The closest candidate is named; nothing close gives None."""
    expected = ("did you mean 'approved_on'?", None)
    assert expected == (
        did_you_mean("aproved_on", ["approved_on", "name"]),
        did_you_mean("zzz", ["approved_on"]),
    )


@pytest.mark.parametrize(
    ("cls", "code", "base"),
    [
        (RuleSyntaxError, "E100", ValueError),
        (RuleCheckError, "E200", ValueError),
        (FactsError, "E300", ValueError),
        (EvaluationError, "E400", ValueError),
        (CalendarError, "E501", EvaluationError),
    ],
)
def test_error_classes(cls: type[PolicyRulesError], code: str, base: type) -> None:
    """Each stage's error has a default code, derives from the root and a builtin."""
    err = cls("something")
    assert (code, "something") == (err.code, str(err).split(": ", 1)[1])
    assert isinstance(err, PolicyRulesError)
    assert isinstance(err, base)


def test_several_diagnostics_render_separated() -> None:
    """An error with several diagnostics renders each, with a blank line between."""
    err = RuleCheckError(
        [Diagnostic("E1", "one", Span("f", 1, 1, 1, 2)), Diagnostic("E2", "two")],
        sources={"f": "abc"},
    )
    expected = "f:1:1: error[E1]: one\n    1 | abc\n      | ^\n\nerror[E2]: two"
    assert expected == str(err)
    assert (err.code, err.args[0]) == ("E1", "one")


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (ValueError("Conversion Error: one\nLINE 1: SELECT ..."), "Conversion Error: one"),
        (ValueError("\n\n  Out of Range Error: two  \nmore"), "Out of Range Error: two"),
        (ValueError(""), "ValueError"),  # (a message of nothing: its class, not IndexError)
        (ValueError("  \n \n"), "ValueError"),
    ],
)
def test_first_line_of_another_librarys_error(exc: BaseException, expected: str) -> None:
    """A diagnostic quotes another library's error by its first line with text."""
    assert first_line(exc) == expected


def test_empty_duckdb_errors_become_diagnostics() -> None:
    """An error DuckDB raises with no message still becomes E633 / E620, naming its class
    (the first line was taken by ``splitlines()[0]``: an IndexError)."""
    import duckdb

    from policyrules.batch_write import value_refused
    from policyrules.tables_source import error_line

    refused = value_refused("step 3 of the plan (p0_f)", duckdb.DataError(""))
    assert refused.code == "E633"
    assert "step 3 of the plan (p0_f): a value DuckDB cannot compute exactly: DataError" in str(
        refused
    )
    assert error_line(duckdb.IOException("")) == "IOException"
