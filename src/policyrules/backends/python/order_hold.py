"""A claim whose place in a pool's order is not known: served as early as it could be.

Claims of a pool are served in one pool-wide order (:func:`.claims.claim_key`).  When an
`order by` key of a claim is unknown (its fact is missing), the claim may in truth come
before claims whose keys are known, and take the room first.  So it is placed as early as
it could possibly be (an unknown key sorts first at its position among the claims whose
earlier keys are equal) and served *uncertain*: its amount there is an upper bound ("up
to"), held as pending in every account its caps draw on, as an undecided claim's bound is
(:mod:`.reserve`).  A later claim under the same cap is then "up to" exactly when that hold
can cut it.  The missing order facts are among the claim's missing facts.

This is the conservative rule: such a claim is never reported exact, even where the pool
has room for every claim that could come before it (the order then does not matter).
The SQL batch does the same (``backends/sql/award_rooms.py``: ``cert`` is false when an
order key is NULL; ``awards.window_order``: ``NULLS FIRST``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ...result import Step
from ...runtime.ledger import ScopeKey
from ...runtime.money import Money
from ...runtime.values import Unknown
from .claims import scope_of
from .compile import CompiledPolicy, CompiledProvision, Env

__all__ = ["ORDER_HOLD", "hold_step", "order_missing", "pool_members", "shares_pool"]

ORDER_HOLD = "order_hold"
"""The kind of the trace step that says a claim was served at its earliest place (the
explanations' ``explain_order`` reads it by this name)."""

_Path = tuple[tuple[str, str], ...]


def order_missing(cp: CompiledProvision, env: Env) -> frozenset[str]:
    """The facts (and ``parameter`` names) the unknown `order by` keys of ``cp``'s claim
    need, read through a scratch copy of ``env`` (the order's reads are not the
    decision's); empty when every key is known, or when a key cannot be computed (an
    undecided key is unknown with nothing missing: ``compile._ordering``)."""
    scratch = env.scratch()
    out: set[str] = set()
    for fn in cp.order:
        v = fn(scratch)
        if isinstance(v, Unknown):
            out |= v.missing
    return frozenset(out)


def pool_members(policy: CompiledPolicy) -> dict[str, int]:
    """How many provisions draw on each pool (a `per` cap's pool: ``shared <pool>`` or
    the provision's own id)."""
    members: dict[str, set[str]] = {}
    for cp in policy.provisions:
        for cap in cp.caps:
            if cap.per:
                members.setdefault(cap.pool, set()).add(cp.info.id)
    return {pool: len(ids) for pool, ids in members.items()}


def shares_pool(
    cp: CompiledProvision,
    path: _Path,
    members: Mapping[str, int],
    keys: Iterable[ScopeKey] | None = None,
) -> bool:
    """Whether a claim of ``cp`` at ``path`` draws on an account that another claim may
    draw on: an account (of ``keys``, the ones it drew on; ``None``: any of its `per`
    caps) whose scope is above the subject, or whose pool several provisions share (as
    ``backends/sql/cap_plans.cap_plans`` decides ``shared``).  Only then does its place in
    the order change what it or another claim gets."""
    if keys is None:
        keys = [(cap.pool, scope_of(path, cap.per), None) for cap in cp.caps if cap.per]
    return any(len(scope) < len(path) or members.get(pool, 1) > 1 for pool, scope, _ in keys)


def hold_step(missing: frozenset[str], amount: Money | None) -> Step:
    """The trace step of a claim served at its earliest place, holding ``amount``.  Its
    text is read back by the explanations (``explain_order``): keep its form."""
    facts = ", ".join(sorted(missing)) or "a key that cannot be computed"
    held = amount.format_cn() if amount is not None else "an unknown amount"
    text = (
        f"its place in the order is not known ({facts} missing): served as early as it "
        f"could be, holding up to {held}"
    )
    return Step(ORDER_HOLD, text, None)
