"""The guard before generated source is run: :func:`check_source` refuses source holding
any word but the generator's own, :func:`run_source` runs what it allows."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Mapping
from typing import Any

__all__ = ["check_source", "run_source"]

# Every word generated source may hold: its own names (constants _k0, _k1, ...; functions
# _f0, ...), the subject's attributes, Python's keywords and one builtin.  No string, and no
# number but 0 (a known key) and 1 (an index): no text from a .rule or facts file is ever
# written into it.
_WORDS = frozenset(
    {"def", "return", "if", "else", "not", "in", "is", "and", "or", "True", "False"}
    | {"i", "used", "A", "P", "_v", "_d", "_A", "_slow", "_owner", "_nk", "frozenset"}
    | {"_join"}
    | {"values", "get", "id", "add"}
)
_OWN_NAME = re.compile(r"_[kf][0-9]+\Z")


def check_source(
    source: str, words: frozenset[str] = frozenset(), names: re.Pattern[str] | None = None
) -> None:
    """Refuse (AssertionError) generated source holding anything but the words, operators
    and the numbers 0 and 1 it is made of: the guard before :func:`exec`.  ``words`` and
    ``names`` (a pattern) allow a generator's own further words."""
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NAME:
            w = tok.string
            ok = w in _WORDS or w in words or _OWN_NAME.match(w) is not None
            ok = ok or (names is not None and names.match(w) is not None)
        elif tok.type == tokenize.NUMBER:
            ok = tok.string in ("0", "1")
        else:
            ok = tok.type in _TOKENS
        if not ok:
            raise AssertionError(f"generated source holds {tok.string!r}")


def run_source(
    source: str,
    names: Mapping[str, Any],
    words: frozenset[str] = frozenset(),
    own: re.Pattern[str] | None = None,
) -> dict[str, Any]:
    """Run generated ``source`` once :func:`check_source` (with ``words`` and ``own``)
    allows it, in a namespace holding ``names``; returns the namespace (its functions)."""
    check_source(source, words, own)
    ns = dict(names)
    exec(compile(source, "<policyrules generated code>", "exec"), ns)
    return ns


_TOKENS = frozenset(
    {tokenize.OP, tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT}
    | {tokenize.ENDMARKER}
)
