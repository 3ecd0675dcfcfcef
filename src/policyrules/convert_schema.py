"""The JSON Schema (2020-12) of one value of a fact, parameter or assumption: accepting
exactly what :func:`policyrules.convert.convert_value` accepts from a JSON file, with the
same patterns (so the schema and the reader cannot drift apart)."""

from __future__ import annotations

from typing import Any

import attrs

from . import types as t
from .convert import (
    DATE_PATTERN,
    ID_PATTERN,
    MONEY_PATTERN,
    NONE_WORD,
    NUMBER_PATTERN,
    bound_percent,
    rate_pattern,
)
from .convert_currency import EXCHANGE_RATE, foreign_pattern
from .convert_money import MONEY_MAX
from .convert_patterns import DURATION_NUMBER, MAX_ID_LENGTH
from .model import CheckedPolicy

__all__ = ["ID_SCHEMA", "type_schema"]


def _whole_text(pattern: str) -> str:
    r"""``pattern`` (``^…$``) as a schema's pattern that matches the whole text in Python's
    ``re`` as in ECMA 262: Python's ``$`` also matches before a final line break (a
    validator in Python took ``"100\n"``, which the reader refuses); ``(?![\s\S])``,
    nothing after, means the end in both.  (The readers match the patterns whole; DuckDB's
    RE2 has no lookahead, and its ``$`` is the end.)"""
    assert pattern.endswith("$"), pattern
    return pattern[:-1] + r"(?![\s\S])"


def type_schema(typ: t.Type, policy: CheckedPolicy) -> dict[str, Any]:
    """The JSON Schema (2020-12) of a value of ``typ``, accepting exactly what
    :func:`convert_value` accepts from a JSON file."""
    if typ.nullable:
        some = type_schema(attrs.evolve(typ, nullable=False), policy)
        return {"anyOf": [some, {"const": NONE_WORD, "description": "stated absent (无)"}]}
    k = typ.kind
    if k == "money" and typ.unit is not None:
        return {"type": "string", "pattern": foreign_pattern(typ.unit)}
    if k == "exchange":
        rate = {"type": "string", "pattern": _whole_text(f"^{EXCHANGE_RATE}$")}
        date = {"type": "string", "format": "date", "pattern": _whole_text(DATE_PATTERN)}
        props = {"rate": rate, "date": date}
        return {"type": "object", "properties": props, "required": ["rate", "date"]}
    if k == "money":
        return {
            "description": 'money: a whole number of 元, or text such as "200 万元"',
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": MONEY_MAX - 1},
                {"type": "string", "pattern": _whole_text(MONEY_PATTERN)},
            ],
        }
    if k == "rate":
        bound = bound_percent(typ)
        return {
            "type": "string",
            "pattern": _whole_text(rate_pattern(bound)),
            "description": f"rate, e.g. 30% (at most {bound}%)",
        }
    if k == "number":
        return {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": -(10**40), "exclusiveMaximum": 10**40},
                {"type": "string", "pattern": _whole_text(NUMBER_PATTERN)},
            ]
        }
    if k == "date":
        return {"type": "string", "format": "date", "pattern": _whole_text(DATE_PATTERN)}
    if k == "year":
        return {
            "description": 'a calendar year (年度): 2026, "2026", "2026年" or "2026年度"',
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": 9999},
                {"type": "string", "pattern": _whole_text(r"^[0-9]{1,4}(年度?)?$")},
            ],
        }
    if k == "bool":
        return {"type": "boolean"}
    if k == "text":
        return {"type": ["string", "number"]}
    if k == "duration":
        return {
            "anyOf": [
                {"type": "number", "minimum": 0, "exclusiveMaximum": 10**40},
                {"type": "string", "pattern": _whole_text(rf"^{DURATION_NUMBER} ?{typ.unit}$")},
            ],
            "description": f"a duration in {typ.unit}",
        }
    if k == "enum":
        info = policy.enum(typ.name or "")
        return {"enum": list(info.member_names) if info else []}
    if k in ("set", "list"):
        return {"type": "array", "items": type_schema(typ.element or t.ANY, policy)}
    if k == "table":
        keys = type_schema(typ.key or t.ANY, policy)
        names = keys if "enum" in keys else {"type": "string"}
        value = type_schema(typ.element or t.ANY, policy)
        return {"type": "object", "propertyNames": names, "additionalProperties": value}
    return {}


# An id written as a number is read by its spelling (at most MAX_ID_LENGTH characters), which
# a schema cannot see: a value has spellings of every length (1e300 and a 1 with 300 zeros;
# 1e-300 and 0.000…1), and a validator in JavaScript holds it as a double (10**256 - 1 and
# 10**256 alike).  So a number passes as any number does, and only the reader refuses one
# written at more than 256 characters (docs/cli.md, `policyrules schema`): bounding its value
# refused 1e300, an id of 5 characters to the reader, and took 0.000…1 all the same.
# The pattern refuses line breaks, full-width letters, digits and marks and the Greek,
# Cyrillic and Coptic letters (all in the BMP), but of the invisible characters, other
# scripts' digits and the number characters that are no digit only the BMP's (U+200B...,
# U+0660..., U+2460...): without the `u` flag an ECMA 262 class cannot name an astral code
# point (the tags U+E0001..., the mathematical letters and digits U+1D400..., the Aegean
# numbers U+10107...), which the reader refuses (runtime.ids.ID_PATTERN); its description says so.
ID_SCHEMA: dict[str, Any] = {
    "type": ["string", "number"],
    "minLength": 1,
    "maxLength": MAX_ID_LENGTH,
    "pattern": ID_PATTERN,
    "description": (
        "an id: text exactly as written, without a control character, a line break (U+2028, "
        "U+2029), an invisible one (U+200B ZERO WIDTH SPACE, U+00AD SOFT HYPHEN, the bidi "
        "controls...), a full-width Latin letter or digit (U+FF10-U+FF19, U+FF21-U+FF3A, "
        "U+FF41-U+FF5A: write 0701, not ０７０１), a full-width - . / _ (U+FF0D-U+FF0F, "
        "U+FF3F: write P-1, not P－1), a digit of another script (Unicode category Nd beyond "
        "ASCII 0-9: write 0701, not ٠٧٠١), a number character that is no digit (Unicode "
        "categories No and Nl: write P1, not P① or P¹; 0, not 〇; XII, not Ⅻ), a Greek, "
        "Cyrillic, Coptic, Armenian, Cherokee or Lisu letter (write P3, not РЗ in Cyrillic; "
        "A1, not Ꭺ1 in Cherokee), a styled or compatibility "
        "form of a letter (NFKC writes it as ASCII: write P1, not ℙ1 or Ⓟ1) or white space at "
        "either end; the pattern names the invisible characters, digits, number characters "
        "and styled letters of the BMP, the reader also refuses those beyond it (the tags "
        "U+E0001, U+E0020-U+E007F..., the mathematical letters U+1D400-U+1D7CB and digits "
        "U+1D7CE-U+1D7FF, the Aegean numbers U+10107-U+10133...)"
    ),
}
