"""What a claim whose eligibility is unknown holds in its shared caps until it is decided.

A claim under a shared cap (``per firm per year``, a pool of several provisions) whose
conditions cannot be decided yet may still turn out eligible.  It then takes, at most, the
amount it would get if it were eligible now: that upper bound is counted in each account
it would draw on as *pending* (an undecided claim's bound, as an ``up to`` claim's is), so
a later claim under the same cap is reported with what is certain: at most what is left if
the unknown claim gets nothing, at least what is left once it takes its bound.  The SQL
batch does the same (``backends/sql/award_steps.py``: the window takes such claims as
uncertain).  The fast path holds the same bound on integer fen
(``fast_reserve.reserve_fen``), its step said by :func:`hold_step`: what changes here
changes there.
"""

from __future__ import annotations

from ...result import Step
from ...runtime.ledger import Accounts
from ...runtime.money import Money
from ...runtime.values import Undecided, Value
from .claims import apply_caps, scope_of
from .compile import CompiledProvision, Env
from .instalments import pay_schedule
from .once_hold import hold_once

__all__ = ["hold_step", "reserve_unknown"]

_Path = tuple[tuple[str, str], ...]


def reserve_unknown(
    cp: CompiledProvision, env: Env, path: _Path, accounts: Accounts
) -> Step | None:
    """Count the largest amount the claim of ``cp`` at ``path`` could get, were it eligible,
    as pending in every account its caps draw on; the trace step that says so, or ``None``
    when it holds nothing (no shared cap, a one-time award already paid, an amount that
    cannot be decided, nothing left).  Reads through a scratch copy of ``env``: the facts
    the bound reads are not the decision's."""
    value: Value | Undecided | None = None  # its amount were it eligible now, once computed
    if cp.info.once:  # it may be the one paid its owner's one-time award (.once_hold)
        value = _amount(cp, env)
        bound = max(value, Money.zero()) if isinstance(value, Money) else None
        hold_once(cp, path, accounts, bound, "eligibility")
    if cp.amount is None or not any(cap.per for cap in cp.caps):
        return None
    # Its own earlier instalments are the same one-time award: its later years may follow.
    own = cp.schedule is not None and bool(accounts.granted_to(cp.info.id, path))
    for o in cp.info.once:
        if not own and accounts.paid_before(cp.info.id, scope_of(path, (o.entity,))):
            return None  # paid before under a one-time rule: it can take nothing more
    scratch = env.scratch()
    if cp.schedule is not None:
        return _reserve_schedule(cp, scratch, path, accounts)
    try:
        if cp.bounds is not None:
            _, value, _ = cp.bounds.requested(scratch, None)
        elif value is None:
            value = cp.amount(scratch)
        elif isinstance(value, Undecided):
            return None  # as below: it was raised when computed for the one-time award
        requested = max(value, Money.zero()) if isinstance(value, Money) else None
        before = accounts.granted_to(cp.info.id, path)
        if requested is not None and before:
            requested = max(requested - before, Money.zero())
        capped = apply_caps(cp, scratch, path, requested, before, accounts)
    except Undecided:
        return None  # undecided even if eligible: as an eligible claim, it holds nothing
    if not (capped.keys or capped.any_year) or capped.amount == Money.zero():
        return None
    subject = "/".join(i for _, i in path)
    held = (cp.info.id, "eligibility")
    for key in capped.keys:
        if capped.amount is None:  # nothing bounds it: it may take all
            accounts.hold_open(key, subject, held)
        else:
            accounts.add(key, subject, capped.amount, certain=False, held=held)
    for pool, scope in capped.any_year:  # its year unknown too: in every year
        accounts.hold_any_year(pool, scope, subject, capped.amount, held)
    return hold_step(capped.amount)


def hold_step(bound: Money | None) -> Step:
    """The trace step of a claim of unknown eligibility holding ``bound`` (``None``: an
    amount nothing bounds) in its shared caps (the fast path's too: .fast_reserve)."""
    most = "an amount nothing bounds" if bound is None else bound.format_cn()
    text = (
        f"eligibility unknown: holds up to {most} of its shared caps "
        "until decided (a later claim under them is reported up to what is left)"
    )
    return Step("reserve", text, None)


def _amount(cp: CompiledProvision, env: Env) -> Value | Undecided | None:
    """Its amount were it eligible now (no cap applied), read through a scratch copy of
    ``env``: the :class:`Undecided` raised instead of a value, ``None`` with no amount."""
    try:
        return cp.amount(env.scratch()) if cp.amount is not None else None
    except Undecided as exc:
        return exc


def _reserve_schedule(
    cp: CompiledProvision, env: Env, path: _Path, accounts: Accounts
) -> Step | None:
    """:func:`reserve_unknown` for an award paid over time: each year's payment, computed
    as if eligible and granted nothing, holds its amount (or its bound) in the caps of
    its year."""
    assert cp.schedule is not None
    try:
        done = pay_schedule(
            cp, cp.schedule, env, path, accounts, None, certain=False, why="eligibility"
        )
    except Undecided:
        return None
    held = [p for p in done.payments if p.status != "paid" and (p.amount is None or p.amount)]
    if not held:
        return None
    text = (
        f"eligibility unknown: its payments of {', '.join(str(p.year) for p in held)} hold "
        "their amounts in the caps of their years until decided (a later claim under them "
        "is reported up to what is left)"
    )
    return Step("reserve", text, None)
