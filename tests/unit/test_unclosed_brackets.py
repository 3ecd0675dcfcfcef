"""A `(`, `[` or `{` never closed is reported at that bracket (E115), with where the parser
noticed kept in the message; before, the error pointed at the next line's first word
(``found 'cap'; expected `)` ``), far from the bracket to close."""

from __future__ import annotations

import pytest

from policyrules.errors import RuleSyntaxError
from policyrules.parse import parse

PROVISION = 'clause 1 "t"\n  quote "q"\n  award a\n    for each firm\n'


def _error(text: str) -> RuleSyntaxError:
    with pytest.raises(RuleSyntaxError) as info:
        parse(text, "x.rule")
    return info.value


@pytest.mark.parametrize(
    ("lines", "where", "message", "hint"),
    [
        (
            "    eligible when (base > 100 万元 and ok\n    amount 10% of base\n",
            (5, 19),
            "this `(` is not closed: found 'amount' at line 6, column 5 before its `)`",
            "close it with `)` where its expression ends",
        ),
        (
            "    amount min(base, other\n    cap 200 万元 per firm\n",
            (5, 15),
            "this `(` is not closed: found 'cap' at line 6, column 5 before its `)`",
            "close it with `)` where its expression ends",
        ),
        (
            "    amount scale_tiers[revenue\n    cap 200 万元 per firm\n",
            (5, 23),
            "this `[` is not closed: found 'cap' at line 6, column 5 before its `]`",
            "close it with `]` after the key the table is read by",
        ),
        (
            "    eligible when kind in {a, b\n    amount 1 元\n",
            (5, 27),
            "this `{` is not closed: found 'amount' at line 6, column 5 before its `}`",
            "close it with `}` after its last item",
        ),
        (
            "    eligible when (ok and (other > 1 元)",
            (5, 19),
            "this `(` is not closed: the file ends before its `)`",
            "close it with `)` where its expression ends",
        ),
    ],
    ids=["paren", "call", "table-key", "set", "end-of-file"],
)
def test_an_unclosed_bracket_is_reported_where_it_opens(
    lines: str, where: tuple[int, int], message: str, hint: str
) -> None:
    err = _error(PROVISION + lines)
    span = err.span
    assert span is not None
    assert (err.code, span.line, span.col, span.end_col) == ("E115", *where, where[1] + 1)
    assert (err.diagnostics[0].message, err.hint) == (message, hint)


def test_an_enum_s_brace_never_closed() -> None:
    err = _error('enum Route { ra "甲", rb "乙"\n\nentity firm "企业"\n  list firms\n')
    assert err.span is not None
    assert (err.code, err.span.line, err.span.col) == ("E115", 1, 12)


def test_the_innermost_bracket_left_open_is_named() -> None:
    """``min((a + b`` leaves two open: the parser waits for the inner one's ``)``."""
    err = _error(PROVISION + "    amount min((base + other\n    cap 1 元 per firm\n")
    assert err.span is not None
    assert (err.code, err.span.line, err.span.col) == ("E115", 5, 16)


def test_brackets_in_strings_and_comments_are_not_counted() -> None:
    """A ``)`` in a string or a comment after the bracket does not close it."""
    text = '    eligible when (kind = ")" # )\n    note "("\n'
    err = _error(PROVISION + text)
    assert err.span is not None
    assert (err.code, err.span.line, err.span.col) == ("E115", 5, 19)


@pytest.mark.parametrize(
    "lines",
    [
        # the `(` is closed, later: the mistake is the word inside it, said as before
        "    eligible when (ok other)\n",
        # a `)` on a later line closes it (by count): no guess which of the two is wrong
        "    eligible when (ok\n    amount (1 元))\n",
    ],
)
def test_a_bracket_closed_later_keeps_the_message_where_the_parser_stopped(lines: str) -> None:
    err = _error(PROVISION + lines)
    assert err.code == "E101"
    assert "not closed" not in err.diagnostics[0].message
