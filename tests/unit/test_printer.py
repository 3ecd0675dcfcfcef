"""The formatter: canonical layout, idempotence, and comments kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyrules.parse import parse
from policyrules.printer import print_module

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "policies").rglob("*.rule"))


def _fmt(text: str) -> str:
    return print_module(parse(text))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files_are_a_fixed_point(path: Path) -> None:
    """Formatting a shipped policy twice gives the same text, and the same tree."""
    text = path.read_text("utf-8")
    once = _fmt(text)
    assert once == _fmt(once)
    assert parse(text) == parse(once)


def test_shipped_files_exist() -> None:
    """The parametrized test above has files to run on."""
    assert len(SHIPPED) >= 2


def test_canonical_layout() -> None:
    """Indentation, blank lines between items and before provisions, spacing of operators."""
    text = (
        'document d "t" number "n" valid from 2025-01-01\n'
        'clause 1 "t" quote "q" parameter r:rate=30 % "x" award a "奖" for each product '
        "eligible when a>=1 元 and(b or c) amount decided x cap 200 万元 per product "
        "cap 1000 万元 per firm per year of approved_on order by approved_on,id"
    )
    expected = (
        'document d "t"\n'
        '  number "n"\n'
        "  valid from 2025-01-01\n"
        "\n"
        'clause 1 "t"\n'
        '  quote "q"\n'
        '  parameter r: rate = 30% "x"\n'
        "\n"
        '  award a "奖"\n'
        "    for each product\n"
        "    eligible when a >= 1 元 and (b or c)\n"
        "    amount decided x\n"
        "    cap 200 万元 per product\n"
        "    cap 1000 万元 per firm per year of approved_on\n"
        "    order by approved_on, id\n"
    )
    assert expected == _fmt(text)


def test_entity_and_enum_layout() -> None:
    """Entities list their lines indented; enums put one member per line with a comma."""
    text = 'entity p "产品" list ps of firm fact a: set of R "x"\nenum R { a "甲", b }'
    expected = (
        'entity p "产品"\n  list ps of firm\n  fact a: set of R "x"\n'
        '\nenum R {\n  a "甲",\n  b,\n}\n'
    )
    assert expected == _fmt(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(a + b) × c", "(a + b) × c"),
        ("a + (b × c)", "a + b × c"),
        ("a - (b - c)", "a - (b - c)"),
        ("(a - b) - c", "a - b - c"),
        ("a * 2", "a × 2"),
        ("not (a and b)", "not (a and b)"),
        ("(a or b) and c", "(a or b) and c"),
        ("a ≤ b", "a <= b"),
        ("-(a + b)", "-(a + b)"),
        ("30 % of (a + b)", "30% of (a + b)"),
        (
            "if a then (if b then 1 元 else 2 元) else 3 元",
            "if a then if b then 1 元 else 2 元 else 3 元",
        ),
        ("x not in {a,b}", "x not in {a, b}"),
        ("1.50 万元", "1.50 万元"),
    ],
)
def test_expression_parentheses(text: str, expected: str) -> None:
    """Parentheses only where precedence needs them."""
    actual = _fmt(f"parameter p: money = {text}").split("= ", 1)[1].rstrip("\n")
    assert expected == actual


def test_long_condition_breaks_before_and() -> None:
    """A condition over 100 columns is broken before each `and`."""
    names = " and ".join(f"condition_number_{i}" for i in range(6))
    text = f"clause 1\n  award a\n    eligible when {names}\n"
    out = _fmt(text)
    expected = [
        "    eligible when condition_number_0",
        *(f"      and condition_number_{i}" for i in range(1, 6)),
    ]
    assert expected == out.splitlines()[3:9]
    assert parse(out) == parse(text)


def test_comments_preserved() -> None:
    """Leading, trailing and end-of-file comments survive formatting, in place."""
    text = (
        "# header comment\n"
        "entity firm\n"
        "  # before list\n"
        "  list firms  # trailing on the list\n"
        "# at the end\n"
    )
    expected = (
        "# header comment\n"
        "entity firm\n"
        "  # before list\n"
        "  list firms  # trailing on the list\n"
        "\n"
        "# at the end\n"
    )
    assert expected == _fmt(text)
    assert expected == _fmt(expected)


def test_comments_in_provisions_preserved() -> None:
    """Comments inside provisions keep their indentation and statement."""
    text = (
        'clause 1\n  quote "q"\n\n  # the award\n  award a\n    # each product\n'
        "    for each product  # one by one\n    amount 1 元\n"
    )
    assert text == _fmt(text)


def test_trailing_comment_on_block_header_stays() -> None:
    """A comment at the end of a block's first line (entity, clause, provision) stays there.

    The formatter must not move an author's comment onto a line of its own.
    """
    text = "entity firm  # trailing on the header\n  list firms\n"
    assert text == _fmt(text)


def test_comments_inside_a_condition_stay_with_their_operand() -> None:
    """A comment after an operand of a condition written over lines stays after that
    operand (a parenthesised term's after its parenthesis), not moved to the last line or
    onto a line of its own; formatting again changes nothing."""
    text = (
        'clause 1\n  quote "q"\n\n  award a\n    for each product\n'
        "    eligible when (national_special_review in launch_routes   # route\n"
        "                   or other_national_project)   # other project\n"
        "        and approved_on in force\n"
        "    amount 1 元\n"
    )
    expected = (
        'clause 1\n  quote "q"\n\n  award a\n    for each product\n'
        "    eligible when (national_special_review in launch_routes  # route\n"
        "        or other_national_project)  # other project\n"
        "      and approved_on in force\n"
        "    amount 1 元\n"
    )
    assert _fmt(text) == expected
    assert _fmt(expected) == expected
    assert parse(expected) == parse(text)


def test_a_comment_inside_a_define_breaks_its_chain_there() -> None:
    """Two operands on the commented line: the comment follows the later one, and the
    chain, short enough for one line, is broken so that it can."""
    text = "define d =\n  a and b  # both\n  and c  # last\n"
    expected = "define d = a\n  and b  # both\n  and c  # last\n"
    assert _fmt(text) == expected
    assert _fmt(expected) == expected


def test_a_comment_on_its_own_line_inside_a_condition_stays_there() -> None:
    """A comment alone on its line inside a condition written over lines stays on its line
    before the operand it precedes (it was moved below the condition, a leading comment of
    the next statement: hBT); beside a trailing one, inside a parenthesised term too;
    formatting again changes nothing, and the tree is the same."""
    text = (
        'clause 1\n  quote "q"\n\n  award a\n    for each product\n'
        "    eligible when (national_special_review in launch_routes\n"
        "                   # or a national project (第3条)\n"
        "                   or other_national_project)   # the route\n"
        "        # approved after the document's date\n"
        "        # (its force)\n"
        "        and approved_on in force\n"
        "    amount 1 元\n"
    )
    expected = (
        'clause 1\n  quote "q"\n\n  award a\n    for each product\n'
        "    eligible when (national_special_review in launch_routes\n"
        "        # or a national project (第3条)\n"
        "        or other_national_project)  # the route\n"
        "      # approved after the document's date\n"
        "      # (its force)\n"
        "      and approved_on in force\n"
        "    amount 1 元\n"
    )
    assert _fmt(text) == expected
    assert _fmt(expected) == expected
    assert parse(expected) == parse(text)
    short = "define d =\n  a\n  # why b\n  and b\n"
    assert _fmt(short) == "define d = a\n  # why b\n  and b\n"


@pytest.mark.parametrize(
    "text",
    [
        'parameter r: rate "x"  # t\n',
        'clause "(八)" "t"\n  quote "a\\"b"\n',
        "enum E {\n  a,\n}\n",
        "entity r\n  single r\n  fact d: list of 工作日\n",
        "clause 1\n  target t\n    for r\n    require average(d) <= 60 工作日\n",
        'assumption a: bool = true "why"\n',
    ],
)
def test_idempotent_snippets(text: str) -> None:
    """print(parse(print(parse(x)))) == print(parse(x)) for inline snippets."""
    once = _fmt(text)
    assert once == _fmt(once)


def test_empty_module() -> None:
    """An empty file formats to the empty string."""
    expected = ""
    assert expected == _fmt("")


def test_an_empty_supersedes_label_is_printed() -> None:
    """``supersedes j ""`` keeps its empty label through print and parse (found by the
    round-trip property of issue 11: an empty label was printed as none)."""
    text = 'document j ""\n  supersedes j ""\n'
    tree = parse(text)
    assert tree.items[0].body[0].label == ""
    assert parse(print_module(tree)) == tree
    assert 'supersedes j ""' in print_module(tree)
