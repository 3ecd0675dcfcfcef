"""A Pygments lexer for ``.rule`` files, registered as the ``policyrules`` entry point.

Pygments is an optional dependency (the ``docs`` extra); only this module and
:mod:`policyrules.sphinxext` import it.

>>> from pygments.token import Keyword, Number
>>> tokens = list(PolicyRulesLexer().get_tokens("cap 200 万元 per product"))
>>> tokens[0], tokens[2]
((Token.Keyword, 'cap'), (Token.Literal.Number, '200 万元'))
"""

from __future__ import annotations

from typing import ClassVar

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
)

__all__ = ["BUILTINS", "KEYWORDS", "TYPES", "UNITS", "PolicyRulesLexer"]

# Every keyword of src/policyrules/grammar/policyrules.lark (the quoted terminals).
KEYWORDS = (
    "above", "after", "agency", "amount", "and", "assumption", "award", "band", "by", "cap",
    "chapter", "clause", "consequence", "deadline", "decided", "declaration", "define",
    "document", "done", "due", "each", "eligible", "else", "entitlement", "entity", "enum",
    "events", "fact", "for", "force", "from", "if", "in", "is", "issued", "list", "measures",
    "minimum", "none", "not", "note", "number", "of", "once", "or", "order", "otherwise",
    "parameter", "pays", "per", "progressive", "quote", "raise", "require", "rounding", "set",
    "shared", "single", "source", "target", "then", "to", "twin", "unless", "up", "valid",
    "when", "year",
    "give", "limit", "quota", "ranked", "reaches", "table", "tiers",
    "ever", "over", "paid", "remainder", "yearly", "years",
    "among", "cumulative", "exclusive", "keep", "supersedes", "ties", "prevails",
    "encouraged",
)  # fmt: skip
# The built-in type names (they are NAMEs in the grammar, resolved by the checker).
TYPES = ("money", "rate", "count", "date", "bool", "determination", "text", "exchange")
BUILTINS = ("min", "max", "sum", "average", "count", "year", "known", "floor", "ceil", "convert",
            "payment_year", "year_index", "this_year")  # fmt: skip
# Longest first, so 万元 wins over 元 and 工作日 over 日.
UNITS = (
    "亿美元", "万美元", "美元", "亿欧元", "万欧元", "欧元",
    "亿元", "万元", "元", "%", "工作日", "日", "周", "月", "年",
)  # fmt: skip

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_UNIT = "|".join(UNITS)


class PolicyRulesLexer(RegexLexer):  # type: ignore[misc]
    """Highlights the policyrules language: keywords, strings, money, dates, comments."""

    name = "policyrules"
    aliases: ClassVar[list[str]] = ["policyrules", "rule"]
    filenames: ClassVar[list[str]] = ["*.rule"]
    mimetypes: ClassVar[list[str]] = ["text/x-policyrules"]
    url = "https://github.com/policyrules/policyrules"

    tokens: ClassVar[dict[str, list[object]]] = {
        "root": [
            (r"[ \t\r\n\f]+", Whitespace),
            (r"#[^\n]*", Comment.Single),
            (r'"', String.Double, "string"),
            # A date before a number: 2025-11-24 is one token.
            (r"\d{4}-\d{2}-\d{2}(?![0-9])", Number.Other),
            # A number with its unit (money, rate, duration) is one token: `200 万元`.
            (rf"\d+(?:\.\d+)?[ \t]*(?:{_UNIT})", Number),
            (r"\d+(?:\.\d+)?", Number),
            # Chapter and clause labels in Chinese numerals: `chapter 三`.
            (r"[一二三四五六七八九十]+", Name.Label),
            # A bare duration unit is a type: `list of 工作日`.
            (r"(?:工作日|日|周|月|年)", Keyword.Type),
            (r"(true|false)\b", Keyword.Constant),
            (words(BUILTINS, suffix=r"(?=\s*\()"), Name.Builtin),
            (words(KEYWORDS, suffix=r"\b"), Keyword),
            (words(TYPES, suffix=r"\b"), Keyword.Type),
            (rf"({_NAME})(\s*)(\.)", bygroups(Name, Whitespace, Punctuation)),
            (_NAME, Name),
            (r"<=|>=|!=|[=<>≤≥≠+\-×*/÷]", Operator),
            (r"[(){}\[\],:.]", Punctuation),
            (r".", Error),
        ],
        "string": [
            (r'\\[\\"]', String.Escape),
            (r'[^"\\\n]+', String.Double),
            (r'"', String.Double, "#pop"),
            (r"\n", Error, "#pop"),
            (r"\\", Error),
        ],
    }
