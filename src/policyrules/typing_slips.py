"""Hints for an author's usual slips in an expression, where the plain error would mislead.

* ``kind = "common_platform"``: a member written as text (E204 said only that an enum and a
  text do not compare);
* ``kind = comon_platform``: a misspelt member of the compared fact's enum (E203 said
  "unknown fact");
* ``applied_on in forse``: a misspelt ``in force`` (read as membership of a fact ``forse``).
"""

from __future__ import annotations

import difflib

from . import syntax as s
from . import types as t
from .model import CheckedPolicy

__all__ = ["in_force_slip", "misspelt_member", "quoted_member"]


def quoted_member(
    policy: CheckedPolicy, a: s.Expr, b: s.Expr, at: t.Type, bt: t.Type
) -> str | None:
    """The hint for a member of the other side's enum written in quotes, else ``None``."""
    for side, other in ((a, bt), (b, at)):
        info = policy.enum(other.name or "") if other.kind == "enum" else None
        if isinstance(side, s.StringLit) and info and side.value in info.member_names:
            return f'a member is written unquoted: `{side.value}`, not `"{side.value}"`'
    return None


def misspelt_member(policy: CheckedPolicy, name: s.Name, other: t.Type) -> tuple[str, str] | None:
    """The message and hint for ``name``, known to nothing, compared with a value of an
    enum that has a member of a close name; else ``None``."""
    info = policy.enum(other.name or "") if other.kind == "enum" else None
    if info is None or (len(name.parts) == 2 and name.parts[0] != info.name):
        return None
    if len(name.parts) > 2:
        return None
    close = difflib.get_close_matches(name.parts[-1], info.member_names, n=1, cutoff=0.6)
    if not close:
        return None
    return (
        f"'{name.dotted}' is not a member of {info.name} (nor a fact)",
        f"did you mean the member '{close[0]}'?",
    )


def in_force_slip(container: s.Expr) -> str | None:
    """The hint for ``x in forse``: a name close to ``force`` after ``in``; else ``None``."""
    if not isinstance(container, s.Name) or len(container.parts) != 1:
        return None
    if not difflib.get_close_matches(container.parts[0], ["force"], n=1, cutoff=0.6):
        return None
    return "did you mean `in force`? (`DATE in force`: the date is within the document's validity)"
