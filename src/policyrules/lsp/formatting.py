"""Formatting through the formatter: the text ``policyrules fmt`` would write.

A file that does not parse is left alone (no edit); its syntax error is already among the
diagnostics.
"""

from __future__ import annotations

from ..errors import RuleSyntaxError
from ..parse import parse
from ..printer import print_module

__all__ = ["formatted"]


def formatted(text: str, file: str) -> str | None:
    """The canonical text of one ``.rule`` file, or ``None`` when it does not parse."""
    try:
        return print_module(parse(text, file))
    except RuleSyntaxError:
        return None
