"""The assumptions a result lists: by name, each with its value's text (a default's text
made once), the list kept per set of names when the assumptions are the policy's defaults
(most runs read the same few)."""

from __future__ import annotations

from collections.abc import Mapping

from ...runtime.calendar import HOLIDAY_ASSUMPTION
from ...runtime.values import Value, format_value
from .compile import CompiledPolicy

__all__ = ["assumption_text", "listed_assumptions"]


def listed_assumptions(
    policy: CompiledPolicy, names: set[str], assumptions: Mapping[str, Value]
) -> tuple[tuple[str, str], ...]:
    """The assumptions ``names`` (how to count days aside) as a result lists them, by
    name; kept by the names when ``assumptions`` are the policy's defaults themselves."""
    kept = policy.listed
    key = None
    if assumptions is policy.assumption_defaults:
        key = frozenset(names)
        hit = kept.get(key)
        if hit is not None:
            return hit
    used = sorted(names - {HOLIDAY_ASSUMPTION})
    listed = tuple([(a, assumption_text(policy, a, assumptions[a])) for a in used])
    if key is not None:
        if len(kept) >= _KEPT:
            kept.clear()
        kept[key] = listed  # (a whole tuple: a thread reading the memo meanwhile sees it or not)
    return listed


_KEPT = 64  # the name sets listed for the defaults kept at most (then all are forgotten)


def assumption_text(policy: CompiledPolicy, name: str, value: Value) -> str:
    """``value`` of assumption ``name`` as a result lists it: its default's text, made
    once, when it is the default itself."""
    if value is policy.assumption_defaults.get(name, _NOT_SET):
        return policy.default_texts[name]
    return format_value(value)


_NOT_SET = object()
