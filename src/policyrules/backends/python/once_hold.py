"""A one-time (一次性) award per an owner held by an earlier undecided claim of that owner.

``once per firm`` on an award of each product: the first product of the firm served gets
it, and the others are not eligible.  While an earlier product's claim is undecided (its
eligibility, its amount or its place unknown), it may still be the one paid: a later
product's claim is then at most its amount, never exact, and is not granted (as a claim a
shared cap's hold may cut: grammar/README.md, "Claim order").  The earlier claim holds the
award (:meth:`~policyrules.runtime.ledger.Accounts.hold_once`); the later one names it
(``Decision.held_by``, in both languages).  The batch refuses such a rule (E605), so this
is the one-by-one path's alone; the fused and lean functions leave such awards to it.
"""

from __future__ import annotations

from ...result import Step
from ...runtime.holds import Hold
from ...runtime.ledger import Accounts
from ...runtime.money import Money
from ...runtime.values import format_value
from .claims import scope_of
from .compile import CompiledProvision

__all__ = ["hold_once", "once_holder", "once_refused", "once_step"]

_Path = tuple[tuple[str, str], ...]


def once_refused(
    cp: CompiledProvision, entity: str, owner: str, accounts: Accounts, path: _Path
) -> str:
    """The reason a one-time award (``once per entity``) is refused to ``owner``, the
    ``entity`` paid before: with what it was granted where the award is once per its own
    subject (the ledger's and this evaluation's grants to ``path``), so that a caller
    retrying after a lost answer learns what was paid (``… was already granted 200 万元
    under …``)."""
    before = accounts.granted_to(cp.info.id, path) if entity == cp.info.subject else None
    paid = f" {format_value(before)}" if before is not None and before.fen else ""
    return (
        f"once per {entity} (一次性): {entity} {owner} was already granted{paid} under {cp.info.id}"
    )


def _scopes(cp: CompiledProvision, path: _Path) -> list[_Path]:
    """The owners' paths of the claim's one-time rules above its subject."""
    return [scope_of(path, (o.entity,)) for o in cp.info.once if o.entity != cp.info.subject]


def once_holder(cp: CompiledProvision, path: _Path, accounts: Accounts) -> Hold | None:
    """The earlier undecided claim that may take this claim's one-time award, if any."""
    for scope in _scopes(cp, path):
        held = accounts.once_holder(cp.info.id, scope)
        if held is not None:
            return held
    return None


def hold_once(
    cp: CompiledProvision, path: _Path, accounts: Accounts, amount: Money | None, why: str
) -> None:
    """An undecided claim (``why``: :data:`~policyrules.runtime.holds.HOLD_WHY`) holds its
    owners' one-time award of ``cp`` unless one was paid before; ``amount``: its bound."""
    subject = "/".join(i for _, i in path)
    for scope in _scopes(cp, path):
        if not accounts.paid_before(cp.info.id, scope):
            accounts.hold_once(cp.info.id, scope, Hold(subject, cp.info.id, why, amount))


def once_step(held: Hold) -> Step:
    """The trace step of a claim whose one-time award an earlier claim may take."""
    return Step(
        "once",
        f"one-time award (一次性): {held.subject} may still take it (not settled): at most",
        None,
    )
