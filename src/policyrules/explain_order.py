"""The line that says why a claim whose place in its pool's order is not known is only
"up to": it was served as early as it could be, holding its bound (English and Chinese).

The evaluator records such a claim by a trace step of kind :data:`ORDER_HOLD`
(``backends/python/order_hold.py``); its text names the missing order facts.  Both
explanations show one line for it, whether or not the trace is shown.  A later claim that
its hold makes "up to" names it like any other hold (``explain_holds``, ``why`` = ``order``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .decisions import Decision, lead_steps
from .runtime.values import format_value
from .vocab import ORDER_HOLD_ZH

__all__ = ["ORDER_HOLD", "order_hold_en", "order_hold_zh"]

ORDER_HOLD = "order_hold"
"""The kind of the trace step of a claim served at its earliest place."""

_FACTS = re.compile(r"its place in the order is not known \((.+?) missing\)")


def _step(d: Decision) -> str | None:
    if d.kind != "award" or d.status != "eligible":
        return None
    # the step comes first when present: a deferred trace is not made to find it
    for st in lead_steps(d):  # a loop, not a generator: every eligible award's text asks
        if st.kind == ORDER_HOLD:
            return st.text
    return None


def order_hold_en(d: Decision) -> str | None:
    """``its place in the order is not known (product.approved_on missing): served as
    early as it could be, holding up to 60万元``, or ``None`` for any other decision."""
    return _step(d)


def order_hold_zh(d: Decision, titles: Callable[[list[str]], str]) -> str | None:
    """:func:`order_hold_en` in Chinese (:data:`~policyrules.vocab.ORDER_HOLD_ZH`), the
    facts named by ``titles``; ``None`` for any other decision."""
    text = _step(d)
    m = _FACTS.match(text) if text is not None else None
    if m is None:
        return None
    return ORDER_HOLD_ZH.format(facts=titles(m[1].split(", ")), amount=format_value(d.amount))
