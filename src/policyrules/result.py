"""Results of an evaluation: one :class:`Decision` per provision and subject, with its trace.

:class:`Result` sits above :mod:`policyrules.explain` (its ``explain()`` and ``to_json()``
call it); the decisions themselves live in :mod:`policyrules.decisions`, below both, and are
re-exported here.
"""

from __future__ import annotations

import attrs

from .decisions import CapEvent, Decision, Step
from .explain import explain_text, result_json
from .runtime.ledger import Grant

__all__ = ["CapEvent", "Decision", "Result", "Step"]


@attrs.frozen
class Result:
    """Every decision of one evaluation, and the grants it adds to the ledger."""

    decisions: tuple[Decision, ...]
    grants: tuple[Grant, ...]
    assumptions: tuple[tuple[str, str], ...] = ()

    def explain(self, *, verbose: bool = False) -> str:
        """The decisions as text for a person, citing each clause's own words."""
        return explain_text(self, verbose=verbose)

    def to_json(self, *, all_earlier: bool = False) -> dict[str, object]:
        """The same content as plain JSON-ready data (money as exact 元 text); a cap lists
        the last 3 earlier claims on it, or with ``all_earlier`` every one."""
        return result_json(self, all_earlier=all_earlier)
