"""Parsing: every construct into the right nodes, and syntax errors with code and span."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from policyrules import RuleSyntaxError
from policyrules import syntax as s
from policyrules.parse import parse


def _expr(text: str) -> s.Expr:
    item = parse(f"parameter p: money = {text}").items[0]
    assert isinstance(item, s.Parameter)
    assert item.default is not None
    return item.default


def _provision(body: str) -> s.Provision:
    clause = parse(f'clause 1 "t"\n  quote "q"\n  award a "奖"\n{body}').items[0]
    assert isinstance(clause, s.Clause)
    return clause.provisions[0]


def test_document_header() -> None:
    """A document with every header statement."""
    text = (
        'document d "标题"\n  number "京〔2025〕1号"\n  agency "局"\n  issued 2025-11-24\n'
        '  valid from 2025-11-24 to 2028-12-31\n  source "a.txt"\n  note "n"\n'
    )
    expected = s.Module(
        (
            s.Document(
                "d",
                "标题",
                (
                    s.DocNumber("京〔2025〕1号"),
                    s.DocAgency("局"),
                    s.DocIssued(dt.date(2025, 11, 24)),
                    s.DocValid(dt.date(2025, 11, 24), dt.date(2028, 12, 31)),
                    s.DocSource("a.txt"),
                    s.Note("n"),
                ),
            ),
        )
    )
    assert expected == parse(text)


def test_valid_from_without_end() -> None:
    """`valid from D` leaves the end open."""
    expected = s.DocValid(dt.date(2025, 1, 1), None)
    actual = parse('document d "t" valid from 2025-01-01').items[0]
    assert expected == actual.body[0]


def test_chapter_and_clause_labels() -> None:
    """Chapters take CJK numerals; clauses take numbers, numerals or strings."""
    text = 'chapter 一 "章"\nclause 2 "条"\n  quote "q"\nclause "(八)"\nclause 十一 "x"'
    expected = (
        s.Chapter("一", "章"),
        s.Clause("2", "条", (s.Quote("q"),), ()),
        s.Clause("(八)", None, (), ()),
        s.Clause("十一", "x", (), ()),
    )
    assert expected == parse(text).items


def test_clause_parameters_and_assumptions() -> None:
    """A clause body holds quotes, notes, parameters and assumptions."""
    text = (
        'clause 1\n  quote "q"\n  note "n"\n  parameter r: rate "比例"\n'
        '  assumption a: bool = true "why"\n'
    )
    expected = s.Clause(
        "1",
        None,
        (
            s.Quote("q"),
            s.Note("n"),
            s.Parameter("r", s.SimpleType("rate"), None, "比例"),
            s.Assumption("a", s.SimpleType("bool"), s.BoolLit(True), "why"),
        ),
        (),
    )
    assert expected == parse(text).items[0]


def test_award_provision() -> None:
    """Every statement of an award."""
    p = _provision(
        "    for each product\n    eligible when ok\n    amount decided x\n"
        "    once per product\n    cap 200 万元 per product\n"
        "    cap 1000 万元 per firm per year of approved_on shared pool\n"
        "    order by approved_on, id\n"
    )
    expected = s.Provision(
        "award",
        "a",
        "奖",
        (
            s.Subject("product", each=True),
            s.Eligible(s.Name(("ok",))),
            s.AmountDecided("x"),
            s.Once("product"),
            s.Cap(s.MoneyLit(D(200), "万元"), ("product",)),
            s.Cap(s.MoneyLit(D(1000), "万元"), ("firm",), s.Name(("approved_on",)), "pool"),
            s.OrderBy((s.Name(("approved_on",)), s.Name(("id",)))),
        ),
    )
    assert expected == p


def test_deadline_target_entitlement_provisions() -> None:
    """Deadline, target and entitlement statements; `for X` without `each`."""
    text = (
        "clause 1\n  deadline d\n    for each x\n    due 30 工作日 after submitted_on\n"
        "    done approved_on\n  target t\n    for reports\n"
        "    require average(days) <= 60 工作日\n"
        '  entitlement e\n    consequence "即收即检"\n  declaration c\n    note "n"\n'
    )
    expected = (
        s.Provision(
            "deadline",
            "d",
            None,
            (
                s.Subject("x"),
                s.Due(s.DurationLit(D(30), "工作日"), s.Name(("submitted_on",))),
                s.Done(s.Name(("approved_on",))),
            ),
        ),
        s.Provision(
            "target",
            "t",
            None,
            (
                s.Subject("reports", each=False),
                s.Require(
                    s.Compare(
                        "<=",
                        s.Call("average", (s.Name(("days",)),)),
                        s.DurationLit(D(60), "工作日"),
                    )
                ),
            ),
        ),
        s.Provision("entitlement", "e", None, (s.Consequence("即收即检"),)),
        s.Provision("declaration", "c", None, (s.Note("n"),)),
    )
    assert expected == parse(text).items[0].provisions


def test_entity_and_types() -> None:
    """Entities with list/single lines, facts of simple, set and list types."""
    text = (
        'entity product "产品"\n  list products of firm\n  fact a: date "日期"\n'
        "  fact r: set of Route\n  fact d: list of 工作日\nentity reports\n  single reports\n"
    )
    expected = (
        s.Entity(
            "product",
            "产品",
            (
                s.EntityList("products", "firm"),
                s.FactDecl("a", s.SimpleType("date"), "日期"),
                s.FactDecl("r", s.SetType(s.SimpleType("Route"))),
                s.FactDecl("d", s.ListType(s.SimpleType("工作日"))),
            ),
        ),
        s.Entity("reports", None, (s.EntitySingle("reports"),)),
    )
    assert expected == parse(text).items


def test_enum() -> None:
    """Enum members with and without titles; a trailing comma is allowed."""
    expected = s.EnumDecl("Route", "路径", (s.EnumMember("a", "甲"), s.EnumMember("b")))
    assert expected == parse('enum Route "路径" { a "甲", b, }').items[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("200 万元", s.MoneyLit(D(200), "万元")),
        ("1.5 亿元", s.MoneyLit(D("1.5"), "亿元")),
        ("30%", s.RateLit(D(30))),
        ("2 周", s.DurationLit(D(2), "周")),
        ("7", s.NumberLit(D(7))),
        ("2025-01-02", s.DateLit(dt.date(2025, 1, 2))),
        ("true", s.BoolLit(True)),
        ("false", s.BoolLit(False)),
        ('"a\\"b"', s.StringLit('a"b')),
        ("{a, b}", s.SetLit((s.Name(("a",)), s.Name(("b",))))),
        ("{}", s.SetLit(())),
        ("firm.name", s.Name(("firm", "name"))),
        ("max(a, b)", s.Call("max", (s.Name(("a",)), s.Name(("b",))))),
        ("-a", s.Neg(s.Name(("a",)))),
    ],
)
def test_atoms(text: str, expected: s.Expr) -> None:
    """Literals, names, sets, calls and negation."""
    assert expected == _expr(text)


def test_precedence() -> None:
    """`or` < `and` < `not` < comparison < `+` < `×`/`of`."""
    a, b, c, d = (s.Name((x,)) for x in "abcd")
    expected = s.Or(
        a,
        s.And(
            s.Not(b),
            s.Compare(
                ">=", s.BinOp("+", c, s.BinOp("×", d, s.NumberLit(D(2)))), s.MoneyLit(D(1), "元")
            ),
        ),
    )
    assert expected == _expr("a or not b and c + d * 2 >= 1 元")


def test_of_and_unicode_comparisons() -> None:
    """`30% of x`, `≤` normalised to `<=`, `*` to `×`."""
    expected = s.Compare("<=", s.Of(s.RateLit(D(30)), s.Name(("x",))), s.Name(("y",)))
    assert expected == _expr("30% of x ≤ y")


def test_in_forms_and_if() -> None:
    """`in`, `not in`, `in force` and `if ... then ... else`."""
    a, b = s.Name(("a",)), s.Name(("b",))
    expected = s.IfExpr(
        s.And(s.InSet(a, s.SetLit((b,))), s.InSet(a, b, negated=True)),
        s.InForce(a),
        s.BoolLit(False),
    )
    assert expected == _expr("if a in {b} and a not in b then a in force else false")


def test_left_associative_chains() -> None:
    """`a - b - c` and `a and b and c` group to the left."""
    a, b, c = (s.Name((x,)) for x in "abc")
    expected = (s.BinOp("-", s.BinOp("-", a, b), c), s.And(s.And(a, b), c))
    assert expected == (_expr("a - b - c"), _expr("a and b and c"))


def test_spans_are_recorded() -> None:
    """Each node knows its file, line and columns."""
    m = parse('parameter p: money = 3 元 "x"', "f.rule")
    expected = ("f.rule", 1, 22, 1, 25)
    span = m.items[0].default.span
    assert expected == (span.file, span.line, span.col, span.end_line, span.end_col)


def test_comments_leading_and_trailing() -> None:
    """A comment on its own line leads the next statement; one at a line's end trails it."""
    m = parse("# lead\nparameter p: rate  # trail\n# end of file\n")
    expected = (("# lead",), "# trail", ("# end of file",))
    item = m.items[0]
    assert expected == (item.comments, item.trailing, m.comments)


def test_comments_inside_provision() -> None:
    """Comments inside a provision stay with their statements."""
    p = _provision("    # who\n    for each product  # each one\n    amount 1 元\n")
    expected = (("# who",), "# each one")
    assert expected == (p.body[0].comments, p.body[0].trailing)


def _syntax_error(text: str) -> RuleSyntaxError:
    with pytest.raises(RuleSyntaxError) as info:
        parse(text, "x.rule")
    return info.value


@pytest.mark.parametrize(
    ("text", "code", "where"),
    [
        ("entity firm list firms fact x: date )", "E101", (1, 37, 38)),
        ('clause 1 "t"\n  eligible when x\n', "E102", (2, 3, 11)),
        ('clause 1\n  award "奖励"\n', "E103", (2, 9, 13)),
        ('entity firm\n  list firms\n  fact x "t"\n', "E105", (3, 10, 13)),
        ('assumption a: bool "why"\n', "E106", (1, 20, 25)),
        ("clause 1 award a cap 1 元 per firm per year approved_on\n", "E107", (1, 44, 55)),
        ('document d "unterminated\n', "E108", (1, 12, 13)),
        ('document d "t"\n  issued 2025-13-01\n', "E110", (2, 10, 20)),
    ],
)
def test_syntax_error_codes(text: str, code: str, where: tuple[int, int, int]) -> None:
    """Each kind of syntax error carries its code and a span on the offending token."""
    err = _syntax_error(text)
    span = err.span
    assert (code, where) == (err.code, (span.line, span.col, span.end_col))
    assert span.file == "x.rule"


def test_e105_message_and_hint() -> None:
    """The friendly message says what was found and what is wrong, with a hint."""
    err = _syntax_error('entity firm\n  list firms\n  fact x "t"\n')
    expected = (
        'found a quoted string "...": a fact declaration needs a type',
        'write `fact NAME: TYPE`, e.g. `fact approved_on: date "获批上市日期"`',
    )
    assert expected == (err.diagnostics[0].message, err.hint)


def test_unexpected_eof() -> None:
    """A file that stops mid-statement says so and points at its last token."""
    err = _syntax_error('document d "t"\n  valid from')
    expected = ("E101", 2, 9)
    assert expected == (err.code, err.span.line, err.span.col)
    assert err.diagnostics[0].message.startswith("the file ends too early")


def test_friendly_code_after_document_header() -> None:
    """A provision statement outside a provision is E102 in a real file too.

    Real files open with a `document` header; the labelled examples must still match when
    the mistake is not in the file's first item.
    """
    err = _syntax_error('document d "t"\n\nclause 1 "t"\n  eligible when x\n')
    expected = "E102"
    assert expected == err.code


@pytest.mark.parametrize(
    "after", ["    amount 1 元\n", "    cap 1 元 per firm\n", '    quote "q"\n', ""]
)
@pytest.mark.parametrize(
    "line", ["exclusive a, b among firm keep highest", 'cumulative a, b "可叠加"']
)
def test_a_clause_line_after_its_provisions_says_where_it_goes(after: str, line: str) -> None:
    """A new user's trial: `exclusive` written after the provisions was a bare E101 listing
    keywords."""
    text = f'clause 1 "t"\n  quote "q"\n  award a\n    for each firm\n{after}  {line}\n'
    err = _syntax_error(text)
    assert err.code == "E101"
    assert err.diagnostics[0].message.endswith(
        "`exclusive` and `cumulative` are lines of the clause: they come before its provisions"
    )
    assert err.hint is not None
    assert err.hint.startswith("move the line up")
