"""Go to definition: where the name under the cursor is declared, in any file of the policy.

Facts, entities, enums, enum members, parameters, assumptions, defines and tables (from
``T[x]`` and ``x reaches T``) jump to the name in their declaration, as does a provision
named in a clause's ``exclusive A, B among E …`` or ``cumulative A, B "…"``; a clause label
or provision name is its own declaration; a built-in function has none.
"""

from __future__ import annotations

from ..errors import Span
from .analysis import Analysis, target_at

__all__ = ["definition_span"]


def definition_span(analysis: Analysis, file: str, line: int, col: int) -> Span | None:
    """Where the name at a position (lines and columns from 1) is declared: the span of
    the declared name (its file is the declaring file), or ``None``."""
    target = target_at(analysis, file, line, col)
    if target is None or target.kind == "builtin":
        return None
    return target.node.name_span or target.node.span
