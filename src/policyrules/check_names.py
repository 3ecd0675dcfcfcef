"""Names an author may declare: never a keyword or literal of the language (E240).

The parser reads a keyword where it expects a name (``fact true: bool``), so without this
check ``eligible when true`` would read the literal and never the fact.  The reserved words
are every quoted word of the grammar, so a keyword added to the grammar is reserved at once.

>>> {"true", "false", "and", "if", "award"} <= reserved_words()
True
>>> reserved("fact", "true", None).hint
'`true` is a keyword; rename the fact, e.g. `is_true`'
"""

from __future__ import annotations

import functools
import re

from .errors import Diagnostic, Span
from .parse import grammar_text

__all__ = ["reserved", "reserved_words"]

_QUOTED_WORD = re.compile(r'"([A-Za-z_][A-Za-z0-9_]*)"')
_COMMENT = re.compile(r"//[^\n]*")


@functools.cache
def reserved_words() -> frozenset[str]:
    """Every keyword and literal of the grammar: the quoted words of ``policyrules.lark``."""
    return frozenset(_QUOTED_WORD.findall(_COMMENT.sub("", grammar_text())))


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


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"
