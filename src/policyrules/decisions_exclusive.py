"""What an exclusivity rule did to one decision (issue 11 §6): a part of
:class:`policyrules.decisions.Decision`, under the JSON key ``exclusivity``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from .runtime.money import Money

__all__ = ["OUTCOMES", "Exclusion"]

OUTCOMES = ("paid", "not_paid", "undecided", "tie", "superseded")
"""``paid``: this claim won over the others of its group; ``not_paid``: another claim (or an
earlier grant in the ledger) won; ``undecided``: a claim that may win is not decided yet,
so this amount is at most, not exact; ``tie``: equal amounts and no tie rule (E423);
``superseded``: a later document replaces this provision (or the day is unknown, E424)."""


@attrs.frozen
class Exclusion:
    """``outcome`` (one of :data:`OUTCOMES`); ``rule``: ``keep highest``, ``keep highest
    ties by listed``, ``keep listed`` or ``supersedes``; ``clause``: the clause id whose
    text says so (for ``supersedes``, the superseding document); ``other``: the provision
    that won, may win, lost or ties (``None`` for supersedes), with its amount (fen-exact
    :class:`Money`) and amount kind; ``ledger``: the other was an earlier grant;
    ``since``: the first day of the superseding document."""

    outcome: str
    rule: str
    clause: str
    other: str | None = None
    other_amount: Money | None = None
    other_kind: str | None = None
    ledger: bool = False
    since: dt.date | None = None

    def describe(self, unknown: bool = False) -> str:
        """The English line of the explanation (``unknown``: the decision is unknown)."""
        if self.outcome == "superseded":
            tail = " (the day of the evaluation is not given: E424)" if unknown else ""
            return f"superseded: by {self.clause} from {self.since}{tail}"
        amount = str(self.other_amount) if self.other_amount is not None else "undecided"
        said = {
            "paid": f"paid: not below {self.other} ({amount})",
            "not_paid": f"not paid: {self.other} pays {amount}"
            + (" (an earlier grant in the ledger)" if self.ledger else ""),
            "tie": f"a tie with {self.other} ({amount}) and no tie rule (E423)",
            "undecided": self._undecided(unknown, amount),
        }[self.outcome]
        return f"exclusive ({self.rule}, clause {self.clause}): {said}"

    def _undecided(self, unknown: bool, amount: str) -> str:
        """Which side is settled, as the Chinese line says it
        (``explain_exclusive.undecided_key``): the other, its amount exact (this claim
        ``unknown``, or eligible and open), or the other not (this claim eligible or not)."""
        said = f"{self.other_kind} {amount}" if self.other_amount is not None else "not decided"
        if self.other_amount is not None and self.other_kind == "exact":
            if unknown:
                return (
                    f"{self.other} pays exact {amount}; this claim is not decided yet: "
                    "the higher is paid"
                )
            return (
                f"{self.other} pays exact {amount}; which claim is paid is not decided yet: "
                "this amount is at most"
            )
        if unknown:
            known = f" ({said})" if self.other_amount is not None else ""
            return f"neither this claim nor {self.other}{known} is decided yet"
        return f"{self.other} may still win ({said}): this amount is at most"

    def to_json(self) -> dict[str, Any]:
        """Stable keys: outcome, rule, clause, other, other_amount (元 text or null),
        other_kind, ledger, since (ISO date or null)."""
        return {
            "outcome": self.outcome,
            "rule": self.rule,
            "clause": self.clause,
            "other": self.other,
            "other_amount": None if self.other_amount is None else str(self.other_amount.yuan),
            "other_kind": self.other_kind,
            "ledger": self.ledger,
            "since": None if self.since is None else self.since.isoformat(),
        }
