"""Names an author may declare: never a keyword or literal of the language (E240), and
a fact, parameter or assumption never has the name of an enum member (E244).

The parser reads a keyword where it expects a name (``fact true: bool``), so without this
check ``eligible when true`` would read the literal and never the fact.  The reserved words
are every quoted word of the grammar, so a keyword added to the grammar is reserved at once.

>>> {"true", "false", "and", "if", "award"} <= reserved_words(), "limit" in reserved_words()
(True, False)
>>> reserved("fact", "true", None).hint
'`true` is a keyword; rename the fact, e.g. `is_true`'
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from .errors import Diagnostic, Span

__all__ = ["declared_keyword_hint", "reserved", "reserved_words", "shadows_member"]

_QUOTED_WORD = re.compile(r'"([A-Za-z_][A-Za-z0-9_]*)"')
_COMMENT = re.compile(r"//[^\n]*")
_DECLARED = re.compile(
    r"^\s*(fact|parameter|assumption|entity|enum|list|single)\s+([A-Za-z_][A-Za-z0-9_]*)", re.M
)


# Keywords that only open a statement, never read where a name may stand: the parser takes
# them as names elsewhere (`fact limit: money`, `amount limit`), so they stay free as names.
_SOFT = frozenset({"limit"})


@functools.cache
def reserved_words() -> frozenset[str]:
    """Every keyword and literal of the grammar: the quoted words of ``policyrules.lark``,
    but for the few that only open a statement (``limit``)."""
    grammar = resources.files("policyrules").joinpath("grammar/policyrules.lark")
    words = _QUOTED_WORD.findall(_COMMENT.sub("", grammar.read_text("utf-8")))
    return frozenset(words) - _SOFT


def declared_keyword_hint(text: str) -> str | None:
    """For a syntax error: the first keyword ``text`` declares as a name, which the parser
    then reads as the keyword wherever it is used (``fact if: bool`` … ``eligible when if``)."""
    for m in _DECLARED.finditer(text):
        if m[2] in reserved_words():
            line = text.count("\n", 0, m.start(2)) + 1
            return (
                f"line {line} declares `{m[1]} {m[2]}`, but `{m[2]}` is a keyword and is "
                f"read as one where it is used: rename the {m[1]}"
            )
    return None


def reserved(what: str, name: str, span: Span | None) -> Diagnostic | None:
    """E240 if ``name``, declared as a ``what`` (fact, enum member...), is a reserved word."""
    if name not in reserved_words():
        return None
    if what == "clause label":
        hint = "label the clause with its number, e.g. `clause 3`"
    else:
        better = f"is_{name}" if name in ("true", "false") else f"{name}_{what.split()[-1]}"
        hint = f"`{name}` is a keyword; rename the {what}, e.g. `{better}`"
    return Diagnostic(
        "E240", f"`{name}` is a keyword of the language, not a name for {_a(what)}", span, hint
    )


def shadows_member(what: str, name: str, enum: str | None, span: Span | None) -> Diagnostic | None:
    """E244 if ``name``, declared as a fact, parameter or assumption, is also a member of the
    policy's enum ``enum`` (``None``: it is not): a bare ``other`` would then read the
    declaration, silently, where the author may mean the member."""
    if enum is None:
        return None
    return Diagnostic(
        "E244",
        f"the {what} `{name}` has the name of a member of enum {enum}: a bare `{name}` "
        f"could mean either",
        span,
        f"rename the {what}, e.g. `{name}_{what}`; the member is written `{name}` or "
        f"`{enum}.{name}`",
    )


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"
