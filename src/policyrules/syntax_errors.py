"""Friendly syntax errors: the parser's state matched against labelled examples.

As lark's ``UnexpectedInput.match_examples`` does, small wrong snippets are parsed once and
the parser state each fails in is remembered with its label; an author's error in the same
state gets that label's message.  We compare the LALR state on top of the stack (and the
token), not the whole stack as lark 1.3 does, so a mistake matches its example whatever
comes before it in the file.  Where no example matches, the message lists what could come
next in plain words.

The parser is passed in by :mod:`policyrules.parse`, which imports this module: nothing here
imports the parse stage back.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import lark
from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from .errors import quoted

__all__ = ["EXAMPLES", "friendly_message", "unclosed_bracket"]

# (code, message, hint) -> snippets that fail in the state the label describes.
EXAMPLES: dict[tuple[str, str, str], list[str]] = {
    (
        "E102",
        "this statement belongs inside a provision",
        'open a provision first, e.g. `award NAME "title"`, then `for each ...`',
    ): [
        'clause 1 "t" eligible when x',
        'clause 1 "t" cap 1 元',
        'clause 1 "t" amount x',
        'clause 1 "t" for each product',
        'clause 1 "t" once per product',
    ],
    (
        "E103",
        "a provision needs a name",
        'write e.g. `award launch_reward "创新产品上市奖励"`; names are ASCII snake_case',
    ): [
        'clause 1 award "t"',
        'clause 1 deadline "t"',
        'clause 1 target "t"',
        "clause 1 award for each product",
    ],
    (
        "E105",
        "a fact declaration needs a type",
        'write `fact NAME: TYPE`, e.g. `fact approved_on: date "获批上市日期"`',
    ): [
        'entity firm list firms fact x "t"',
        "entity firm list firms fact x",
        "entity firm list firms fact x:",
    ],
    (
        "E106",
        "an assumption needs a default value and a reason",
        'write `assumption NAME: TYPE = VALUE "why this is the default"`',
    ): [
        "assumption a: bool",
        "assumption a: bool = true",
        'assumption a: bool "why"',
        *(
            f"assumption a: bool = true {after}"
            for after in (
                'chapter 一 "t"',
                'clause 1 "t"',
                "parameter p: rate",
                "assumption b: bool",
                'entity e "t"',
                'document d "t"',
                "enum E { x }",
            )
        ),
    ],
    (
        "E107",
        "`per year` needs the date that places the award in a year",
        "write `per year of approved_on`",
    ): [
        "clause 1 award a cap 1 元 per firm per year",
        "clause 1 award a cap 1 元 per firm per year approved_on",
    ],
    (
        "E112",
        "a band of a `progressive` amount reads `band up to LIMIT pays RATE` or "
        "`band above pays RATE`",
        "e.g. `amount progressive rd_investment band up to 1000 万元 pays 10% band above pays 5%`",
    ): [
        "clause 1 award a amount progressive x band 1 元 pays 5%",
        "clause 1 award a amount progressive x band up to 1 元 5%",
        "clause 1 award a amount progressive x band above 5%",
        "clause 1 award a amount progressive x cap 1 元",
    ],
    (
        "E113",
        'a define reads `define NAME ["title"] = EXPR`',
        'e.g. `define supported_firm "支持对象" = registered_here and not dishonest`',
    ): [
        "define x ok",
        'define x "t" ok',
        "define = ok",
    ],
    (
        "E114",
        "a rounding reads `rounding down to N UNIT`",
        "e.g. `rounding down to 1 元` (计算至元，元以下舍去)",
    ): [
        "clause 1 award a rounding down 1 元",
        "clause 1 award a rounding to 1 元",
        "clause 1 award a rounding down to 1",
        "clause 1 award a rounding down to x",
    ],
    (
        "E116",
        "a tier table reads `table NAME: K to V` and rows `from KEY give VALUE` "
        "(or `when MEMBER give VALUE`)",
        "e.g. `table scale_tiers: money to money from 1 亿元 give 100 万元 "
        "from 5 亿元 give 200 万元` (首次突破…分别给予…)",
    ): [
        "table t money to money from 1 元 give 1 元",
        "table t: money money from 1 元 give 1 元",
        "table t: money to money",
        "table t: Level to money when 1 give 1 元",
    ],
    (
        "E117",
        "a tier reading reads `tiers by ASSUMPTION`; a quota `quota N ranked by FACT`",
        "e.g. `tiers by tier_reading`, `quota 10 ranked by retrofit_rank` (择优支持不超过 10 个)",
    ): [
        "clause 1 award a tiers tier_reading",
        "clause 1 award a tiers by 1",
        "clause 1 award a quota ranked by r",
        "clause 1 award a quota 10 by r",
        "clause 1 award a quota 10 ranked r",
        "clause 1 award a quota x ranked by r",
    ],
    (
        "E120",
        "instalments read `paid over N years from D: R1, …, RN remainder last`",
        "e.g. `paid over 3 years from approved_on: 40%, 30%, 30% remainder last` (分三年拨付)",
    ): [
        "clause 1 award a paid over x years",
        "clause 1 award a paid over 3 from d: 50%",
        "clause 1 award a paid over 3 years d: 50%",
        "clause 1 award a paid over 3 years from d: 50% remainder",
    ],
    (
        "E120",
        "instalments are counted in years: `paid over N years from D: R1, …, RN`",
        "write the period in years (24 个月: `over 2 years`), one share per calendar year "
        "(年度) from the start's year",
    ): [
        "clause 1 award a paid over 24 months from d: 50%, 50% remainder last",
    ],
    (
        "E121",
        "a yearly schedule is counted in years: `paid yearly for N years from D`",
        "write the period in years (36 个月: `for 3 years`): one payment per calendar year "
        "(年度), the first the start's year.  A period counted from a day in mid-year "
        "(贴息期限3年 from the loan's start) touches one calendar year more: see "
        'docs/patterns/years.md, "A period counted from a day"',
    ): [
        "clause 1 award a paid yearly for 36 months from d",
    ],
    (
        "E121",
        "a payment schedule reads `paid yearly for N years from D` or `paid over N years …`",
        "e.g. `paid yearly for 5 years from moved_in_on` (前三年全额、后两年减半)",
    ): [
        "clause 1 award a paid 3 years",
        "clause 1 award a paid yearly 3 years from d",
        "clause 1 award a paid yearly for x years from d",
        "clause 1 award a paid yearly for 3 from d",
        "clause 1 award a paid yearly for 3 years d",
    ],
    (
        "E122",
        "a cap over years reads `cap X per E over N years` or `cap X per E ever`",
        "e.g. `cap 500 万元 per firm over 3 years` (三年内累计不超过), `… over 3 years from first "
        "grant` (自首次获得支持起三年内)",
    ): [
        "clause 1 award a cap 1 元 per firm over 3",
        "clause 1 award a cap 1 元 per firm over x years",
    ],
    (
        "E101",
        "a word that starts no statement here",
        "items start with document, chapter, clause, entity, enum, parameter or assumption; "
        "provisions with award, deadline, target, entitlement or declaration",
    ): [
        'rule x "t"',
        'clause 1 "t" quote "q" awrd x',
        'clause 1 "t" awrd x',
    ],
    (
        "E101",
        "a word that starts no statement in a provision",
        "a provision holds quote, note, for each, eligible when, amount, amount decided, cap, "
        "once per, order by, due, done, require and consequence; the next provision starts "
        "with award, deadline, target, entitlement or declaration, the next item with "
        "document, chapter, clause, entity, enum, parameter or assumption",
    ): [
        "clause 1 award a awrd x",
        'clause 1 award a "t" awrd x',
        "clause 1 award a for each p awrd x",
        "clause 1 award a for each p amount x awrd y",
        "clause 1 award a for each p amount decided x awrd y",
        'clause 1 award a for each p quote "q" awrd y',
        "clause 1 award a for each p eligible when x awrd y",
        "clause 1 award a for each p cap 1 元 per firm awrd y",
    ],
    (
        "E101",
        "`exclusive` and `cumulative` are lines of the clause: they come before its provisions",
        "move the line up, after the clause's quote: `exclusive a, b among project keep highest`",
    ): [
        f"clause 1 award a {body} {line}"
        for body in (
            "",
            '"t"',
            "for each p",
            "for each p amount x",
            "for each p amount decided x",
            "for each p eligible when x",
            "for each p cap 1 元 per firm",
            "for each p once per p",
            "for each p order by x",
            'for each p quote "q"',
        )
        for line in ("exclusive a, b among p keep highest", 'cumulative a, b "r"')
    ],
    (
        "E101",
        "a fact belongs to an entity",
        'declare it under its entity: `entity product "产品"`, then `fact NAME: TYPE`',
    ): [
        "fact x: date",
        'document d "t" fact x: date',
        'clause 1 "t" quote "q" fact x: date',
        "clause 1 award a for each p amount x fact x: date",
    ],
    (
        "E101",
        "`=` compares already",
        "write one `=`; the comparisons are =, !=, <, <=, >, >=",
    ): [
        "parameter a: bool = 1 = = 1",
        "parameter a: bool = 1 < = 1",
        "parameter a: bool = 1 > = 1",
    ],
    (
        "E101",
        "`due` needs `after` and the date it counts from",
        "write e.g. `due 30 工作日 after approved_on`",
    ): [
        "clause 1 deadline d due 30 工作日 x",
    ],
    (
        "E101",
        "a document needs a title after its name",
        'write e.g. `document jjxf_2025_50 "北京市促进医疗器械产业高质量发展若干措施"`',
    ): [
        f"document d {after}"
        for after in (
            'number "x"',
            'agency "x"',
            "issued 2025-01-01",
            "valid from 2025-01-01",
            'source "x"',
            "measures 1",
            "events from x",
            'clause 1 "t"',
            'chapter 一 "t"',
        )
    ],
    (
        "E101",
        "a chapter needs a title after its numeral",
        'write e.g. `chapter 一 "支持创新器械临床研发和注册上市"`',
    ): [
        f"chapter 一 {after}"
        for after in ('clause 1 "t"', 'chapter 二 "t"', 'entity e "t"', "parameter p: rate")
    ],
    (
        "E101",
        "a name cannot be followed by `{`",
        "to test membership write `x in {a, b}` or `x not in {a, b}`",
    ): [
        "parameter a: bool = x in not {y}",
        "parameter a: bool = x {y}",
    ],
}

# Characters that mean a habit from another language: a hint that says what to write instead.
_CHAR_HINTS = {
    ";": "no `;` is needed: a statement ends where the next keyword begins",
    "'": 'strings take double quotes: "..."',
    "[": "a set is written with braces: `{a, b}`",
    "&": "write `and`",
    "|": "write `or`",
    "!": "write `not`, or `!=` to compare",
    "—": "a range is written with `to`: `amount 10% to 30% of BASE` (10%—30%)",
    "～": "a range is written with `to`: `amount 50 万元 to 100 万元` (50～100 万元)",
    "~": "a range is written with `to`: `amount 50 万元 to 100 万元`",
    "/": "`/` divides within an expression: `1 / 3 of base`, `floor(x / 100 万元)`",
    # (a new author's trial: these gave a list of tokens and no hint)
    "万": "money takes its unit whole: `100 万元` (万 alone is not a unit)",
    "亿": "money takes its unit whole: `1 亿元` (亿 alone is not a unit)",
    "\u201c": 'strings take straight double quotes: "..."',
    "\u201d": 'strings take straight double quotes: "..."',
}

_WORDS = {
    "NAME": "a name",
    "STRING": 'a quoted string "..."',
    "NUMBER": "a number",
    "DATE": "a date (YYYY-MM-DD)",
    "MONEY_UNIT": "a money unit (元, 万元, 亿元)",
    "DURATION_UNIT": "a duration unit (日, 工作日, 周, 月, 年)",
    "CJK_NUMERAL": "a chapter numeral (一, 二, ...)",
    "PROVISION_KIND": "a provision (award, deadline, target, entitlement, declaration)",
    "COMPARE_OP": "a comparison (<=, >=, =, !=, <, >)",
    "ADD_OP": "`+` or `-`",
    "MUL_OP": "`×`",
    "EACH": "`each`",
    "$END": "the end of the file",
}


def _describe(name: str, parser: lark.Lark) -> str:
    if name in _WORDS:
        return _WORDS[name]
    try:
        term = parser.get_terminal(name)
    except KeyError:
        return name.lower()
    if isinstance(term.pattern, PatternStr):
        return f"`{term.pattern.value}`"
    return name.lower()


def _found(exc: UnexpectedInput, text: str, parser: lark.Lark) -> str:
    if isinstance(exc, UnexpectedEOF):
        return "the file ends too early"
    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        if isinstance(tok, Token) and tok.type == "$END":
            return "the file ends too early"
        return f"found {_describe(tok.type, parser) if tok.type in _WORDS else repr(str(tok))}"
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream or 0
        ch = text[pos] if pos < len(text) else ""
        if ch == '"':
            return "a string that does not end on its line"
        return f"unexpected character {ch!r}"
    return "unexpected input"


_Label = tuple[str, str, str]


@functools.cache
def _signatures(parser: lark.Lark) -> dict[tuple[int, str], _Label]:
    """(LALR state, token type) -> label, from parsing each example once with ``parser``."""
    out: dict[tuple[int, str], _Label] = {}
    for label, snippets in EXAMPLES.items():
        for snippet in snippets:
            try:
                parser.parse(snippet)
            except (UnexpectedToken, UnexpectedEOF) as exc:
                out.setdefault(_signature(exc), label)
            except UnexpectedInput:  # pragma: no cover - a lexer error names no parser state
                pass
    return out


def _signature(exc: UnexpectedInput) -> tuple[int, str]:
    state = getattr(exc, "state", None)
    position = getattr(state, "position", -1)
    token = getattr(exc, "token", None)
    return (position if isinstance(position, int) else -1, getattr(token, "type", "$END"))


def _match(exc: UnexpectedInput, parser: lark.Lark) -> _Label | None:
    return _signatures(parser).get(_signature(exc))


def friendly_message(
    exc: UnexpectedInput, text: str, parser: lark.Lark
) -> tuple[str, str, str | None]:
    """``(code, message, hint)`` for a failure of ``parser`` (the LALR parser of
    :mod:`policyrules.parse`) on ``text``."""

    found = _found(exc, text, parser)
    if isinstance(exc, UnexpectedCharacters) and found.startswith("a string"):
        return "E108", found, 'close the string with `"` on the same line'
    if isinstance(exc, UnexpectedCharacters):
        ch = text[exc.pos_in_stream or 0] if (exc.pos_in_stream or 0) < len(text) else ""
        ascii_ch = unicodedata.normalize("NFKC", ch)
        if ch != ascii_ch and ascii_ch.isascii():
            # `；` -> `;`, which is not wanted either: say what is
            then = _CHAR_HINTS.get(ascii_ch)
            return (
                "E108",
                f"{found}: a full-width character",
                f"{then}; full-width characters belong only inside strings"
                if then
                else f"write `{ascii_ch}`: full-width characters belong only inside strings",
            )
    if not isinstance(exc, UnexpectedCharacters):
        label = _match(exc, parser)
        if label is not None:
            code, message, hint = label
            return code, f"{found}: {message}", hint
    char_hint: str | None = None
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream or 0
        char_hint = _CHAR_HINTS.get(text[pos : pos + 1])
    expected = sorted(getattr(exc, "expected", None) or getattr(exc, "allowed", None) or ())
    words = sorted({_describe(n, parser) for n in expected})
    if not words:
        return "E101", found, char_hint
    shown = ", ".join(words[:8]) + (", ..." if len(words) > 8 else "")
    return "E101", f"{found}; expected {shown}", char_hint


# An opening bracket's terminal -> (its text, its closer's text, its closer's terminal).
_OPENERS = {"LPAR": ("(", ")", "RPAR"), "LSQB": ("[", "]", "RSQB"), "LBRACE": ("{", "}", "RBRACE")}
_CLOSES = {"(": ")", "[": "]", "{": "}"}
_WHERE_CLOSED = {
    "(": "where its expression ends",
    "[": "after the key the table is read by",
    "{": "after its last item",
}
# Strings (closed or not) and comments are skipped; any other bracket is counted.
_BRACKETS = re.compile(r'"(?:[^"\\\n]|\\.)*"|"[^\n]*|#[^\n]*|[()\[\]{}]')


def unclosed_bracket(exc: UnexpectedInput, text: str) -> tuple[Token, str, str] | None:
    """``(bracket, message, hint)`` when the parser stopped inside a ``(``, ``[`` or ``{``
    that is never closed: the innermost bracket open where it stopped, whose closer it would
    take there, and which no closer of its own matches in the rest of ``text``.  The error
    then belongs at that bracket, not at the next line where the parser noticed; the
    message keeps where it noticed.  None otherwise."""
    if not isinstance(exc, UnexpectedToken):
        return None
    stack = getattr(getattr(exc, "state", None), "value_stack", None) or ()
    opened = next((v for v in reversed(stack) if isinstance(v, Token) and v.type in _OPENERS), None)
    if opened is None or opened.start_pos is None:
        return None
    bracket, closer, terminal = _OPENERS[opened.type]
    if terminal not in (exc.expected or ()) or _closed(text, opened.start_pos):
        return None
    token = exc.token
    if token.type == "$END" or token.line is None:
        seen = f"the file ends before its `{closer}`"
    else:
        at = f"line {token.line}, column {token.column}"
        seen = f"found {quoted(str(token))} at {at} before its `{closer}`"
    return (
        opened,
        f"this `{bracket}` is not closed: {seen}",
        f"close it with `{closer}` {_WHERE_CLOSED[bracket]}",
    )


def _closed(text: str, start: int) -> bool:
    """Whether the bracket at ``start`` is matched by its own closer later in ``text``."""
    waiting: list[str] = []
    for m in _BRACKETS.finditer(text, start):
        ch = m.group()
        if ch in _CLOSES:
            waiting.append(_CLOSES[ch])
        elif ch in ")]}":
            if ch != waiting.pop():
                return False  # a closer of another kind: the brackets cross
            if not waiting:
                return True
    return False
