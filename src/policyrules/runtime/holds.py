"""Holds: room an earlier claim of an evaluation keeps in a shared cap while its own
outcome is not settled.

A claim whose eligibility, instalment or amount is not known takes nothing, but counts the
most it could take against the caps it shares (grammar/README.md, "Claim order"), so a later
claim under the same cap is "up to" what is left, never an exact amount the earlier one may
still take.  A :class:`Hold` names that earlier claim, for the later claim's explanation:
which subject, under which provision, why it is not settled and how much it holds.

``why`` is one of :data:`HOLD_WHY`; a new kind of hold adds its key there and its words in
:data:`policyrules.vocab.HOLD_REASONS` (both languages).
"""

from __future__ import annotations

import attrs

from .money import Money

__all__ = ["HOLD_WHY", "Hold"]

HOLD_WHY = ("eligibility", "instalment", "amount", "exclusive", "order", "year", "once")
"""Why a claim holds room: its eligibility is unknown; a payment of its schedule is unknown; its
own amount is not settled (a bound, a range, an unknown amount); it may still lose to
another award of an exclusive group (就高); its place in its pool's order is not known (an
`order by` fact missing: served as early as it could be); the year it counts in under a
yearly cap is not known (the date missing: it holds room in every year); an earlier claim not
yet settled may take the one-time award (一次性) it claims."""


def _why(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in HOLD_WHY:
        raise ValueError(f"a hold's reason is one of {', '.join(HOLD_WHY)}, not {value!r}")


@attrs.frozen
class Hold:
    """An earlier claim holding room: ``subject`` (``F1/R1``), ``provision`` (its id),
    ``why`` (one of :data:`HOLD_WHY`) and ``amount``, the most it holds (fen, as Money;
    ``None`` when nothing bounds it: its amount and every limit it is under unknown)."""

    subject: str
    provision: str
    why: str = attrs.field(validator=_why)
    amount: Money | None  # None: nothing bounds it (claim_log.OPEN_FEN)
