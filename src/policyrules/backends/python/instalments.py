"""Evaluate an award paid over time: one grant per year, which the caps of that year see.

Instalments (``paid over 3 years from approved_on: 40%, 30%, 30% remainder last``,
分三年拨付): the entitlement is the award's amount after the caps that see it whole (the
claim's own, ``per E``, ``per E ever``: what this schedule paid in earlier years is not
counted against it a second time); the k-th instalment is ⌊entitlement × share_k⌋ fen, and
the fen rounding leaves go to the ``remainder`` instalment (``last`` or ``first``), so the
instalments always sum to the entitlement.  Yearly payments (``paid yearly for N years from
D``: 前三年全额、后两年减半, 贴息): the amount is computed for each year (``payment_year()``,
``year_index()``, ``this_year(x)``) and every cap sees the years one by one, a cap without
a year summing them (累计).

Year k (1..N) is the start's calendar year + k − 1.  Each payment is then cut by the caps
of its year, in the order written: ``per year of payment_year()`` by the grants of that year
(the ledger's, this evaluation's, this schedule's), ``over N years`` by those of the N years
ending with it (三年内累计: a rolling window, the reading named in docs/patterns/years.md),
``over N years from first grant`` by those of the N years from the owner's first grant
(自首次获得支持起三年内累计; :mod:`.window_first`).

A payment whose year already holds a grant of this provision to this subject in the ledger
is ``paid`` (the ledger's amount; no cap applies again); one whose year has come by
``as_of`` (or any, without ``as_of``) is ``due`` and granted now, in its year; a later one is
``future``: computed with what is known today, not granted.  Without ``as_of`` the due
payments are marked undated (a forecast): shown, counted in the caps for the claims after
them, but not granted (no :class:`Grant` in the result: handed on to a ledger they would
record later years as paid now), and writing the result to a ledger is refused (E427).
"""

from __future__ import annotations

from itertools import accumulate
from typing import Any

import attrs

from ...decisions import (
    ENTITLEMENT_AHEAD,
    ENTITLEMENT_CUT,
    ENTITLEMENT_RAISED,
    CapEvent,
    Payment,
    Step,
)
from ...runtime.claim_holds import count_held
from ...runtime.ledger import Accounts, Grant, ScopeKey
from ...runtime.money import Money
from ...runtime.values import Undecided, Unknown, format_value, year_number
from .claims import scope_of
from .compile import CompiledProvision, Env
from .entitlement import entitlement_parts
from .order_hold import hold_step
from .payment_caps import cut_payment, keys_of, most_of
from .payment_holds import Views, name_holds
from .schedule import CompiledSchedule

__all__ = ["Paid", "pay_schedule", "scheduled_award"]

_MAX_YEAR = 9999


@attrs.frozen
class Paid:
    """What :func:`pay_schedule` decided: the total (``None`` if a payment is unknown), its
    kind, the payments, the grants made now, the facts that would settle the rest, the
    lines for the trace, and the events of its caps: each cap that sees the entitlement
    whole, then each cap of a year that cut a payment (its account that year)."""

    amount: Money | None
    kind: str
    payments: tuple[Payment, ...]
    grants: tuple[Grant, ...]
    missing: frozenset[str]
    lines: tuple[str, ...]
    caps: tuple[CapEvent, ...] = ()


def pay_schedule(
    cp: CompiledProvision,
    cs: CompiledSchedule,
    env: Env,
    path: tuple[tuple[str, str], ...],
    accounts: Accounts,
    as_of_year: int | None,
    certain: bool = True,
    why: str = "exclusive",
) -> Paid:
    """Decide the payments of one subject's scheduled award (see the module).  With
    ``certain`` false (another claim of an exclusive group may still win, 就高) the payments
    are computed and held in the caps' accounts as bounds, but none is granted; ``why``
    says why, for a later claim's explanation (:class:`~policyrules.runtime.holds.Hold`).

    :raises Undecided: E421 the ledger holds a payment of this award to this subject in a
        year outside its schedule; E422 the schedule runs past the year 9999; E426 a yearly
        list ``this_year`` reads has an entry for a year after the schedule."""
    pid = cp.info.id
    subject = "/".join(i for _, i in path)
    start = cs.start(env)
    if isinstance(start, Unknown):
        line = f"{cs.text}: the start is unknown (needs {', '.join(sorted(start.missing))})"
        held_in = _hold_undated(cp, cs, env, path, accounts, why if not certain else "year")
        said = (line, *([held_in] if held_in else []))
        return Paid(None, "unknown", (), (), start.missing, said)
    first = year_number(start)
    years = [first + k for k in range(cs.years)]
    if years[-1] > _MAX_YEAR:
        raise Undecided(f"E422: {cs.text}: the payments run past the year {_MAX_YEAR}")
    read_on = _past_the_end(cs, env, years)
    paid = {y: accounts.used(pid, path, y) for y in years}
    own = accounts.used(pid, path, None)
    if own.fen != sum(m.fen for m in paid.values()):
        raise Undecided(
            f"E421: the ledger holds a payment of {pid} to {subject} outside the years "
            f"{years[0]}–{years[-1]} of its schedule",
            hint="the start of the schedule changed since it was paid: correct the fact or "
            "the ledger",
        )
    lines: list[str] = [f"{cs.text}: years {years[0]}–{years[-1]}", *read_on]
    missing: set[str] = set()
    amounts: list[Money | None]
    shares: list[str | None] = [None] * cs.years
    amounts = []
    if cs.yearly:
        for k, y in enumerate(years, 1):
            v = cp.amount(attrs.evolve(env, payment=(y, k))) if cp.amount else None
            if isinstance(v, Unknown):
                missing |= v.missing - _not_yet(v, env, y, as_of_year, paid[y])
            amounts.append(max(v, Money.zero()) if isinstance(v, Money) else None)
    bounds: list[Money | None] = [None] * cs.years
    events: list[CapEvent] = []
    whole: int | None = None  # the entitlement's bound while unknown, fen (_instalments)
    entitled: Views = ()  # the accounts where earlier unsettled claims hold room it needs
    if not cs.yearly:
        before = Money(sum(m.fen for m in paid.values()))
        amounts, shares, bounds, whole, entitled = entitlement_parts(
            cp, cs, env, path, accounts, before, missing, lines, events
        )
    # An instalment's entitlement with something missing (an unset cap, say) is only a
    # bound: its instalments are held in the caps as bounds and none is granted, as an
    # award that is not exact grants nothing.  A yearly amount stands year by year.
    bound_only = bool(missing) and not cs.yearly
    # Each payment in year order against the caps of its year.
    own_total = 0
    doubted = False
    # Instalments never take the schedule past its entitlement: the ledger's instalments
    # were paid on the facts of their day, and the entitlement may have fallen since.
    left = None
    due: list[int] | None = None
    if not cs.yearly and all(a is not None for a in amounts):
        left = sum(a.fen for a in amounts if a) - sum(m.fen for m in paid.values())
        due = list(accumulate(a.fen for a in amounts if a is not None))
    payments: list[Payment] = []
    grants: list[Grant] = []
    # The accounts a payment counted in: a later payment in one (over all years) is the
    # same claim's, joined to it (ClaimLog.join), so a text counts the claim once.
    counted: set[ScopeKey] = set()
    holding: dict[ScopeKey, int] = {}  # what its unknown payments hold in each, fen
    for k, (y, amount) in enumerate(zip(years, amounts, strict=True), 1):
        if paid[y]:
            payments.append(Payment(y, k, "paid", paid[y], shares[k - 1]))
            own_total += paid[y].fen
            continue
        status = "due" if as_of_year is None or y <= as_of_year else "future"
        cut: tuple[str, Money] | None = None
        open_cap = False  # a cap of this payment whose limit is unknown: a bound only
        # The accounts of its year's caps where earlier claims not settled hold room it needs.
        mine: Views = ()
        penv = attrs.evolve(env, payment=(y, k))
        if amount is not None:
            owed = None if due is None else max(due[k - 1] - own_total, 0)
            if owed is not None and owed != amount.fen:
                # 分期拨付: by year k the first k shares of the entitlement computed now are
                # due, no more and no less.  Earlier years paid less (the entitlement rose
                # since, a year was paid short): this payment settles the difference, within
                # the caps of its year; paid more: it takes the difference off.
                # (the last year's due is the entitlement: lowered, it is what that leaves)
                ahead = ENTITLEMENT_CUT if k == len(amounts) else ENTITLEMENT_AHEAD
                how = ENTITLEMENT_RAISED if owed > amount.fen else ahead
                cut, amount = (how, amount), Money(owed)
            if left is not None and amount.fen > max(left, 0):
                cut, amount = (ENTITLEMENT_CUT, amount), Money(max(left, 0))
            amount, by_cap, open_cap, mine = cut_payment(
                cs.each, penv, path, y, amount, own_total, accounts, missing, events
            )
            cut = by_cap or cut
            left = None if left is None else left - amount.fen
        # Those of its entitlement too, where its amount is known (it is then at most).
        views = entitled + mine if amount is not None else ()
        doubted = doubted or bool(views)
        # Named in the explanation: the earlier claims (those of its entitlement first),
        # each once, not the schedule's own payments.
        held_by = name_holds(views, (subject, pid)) if views else ()
        by, was = cut if cut is not None else (None, None)
        # A future payment is not granted, but it is owed: the caps of its year (and over
        # all years) count it for the claims after this one, as they count a due one.
        sure = certain and not bound_only and not open_cap and not views and amount is not None
        unsure = why if not certain else "amount"
        dated = as_of_year is not None
        held = status == "due" and not sure
        payments.append(
            Payment(
                y,
                k,
                status,
                amount,
                shares[k - 1],
                by,
                was,
                dated=dated,
                held=held,
                held_by=held_by,
                hold_count=count_held(views, (subject, pid)) if views else 0,
                held_in=views,
            )
        )
        if amount is None:
            # Unknown: hold the most it could take in the caps of its year (an unknown
            # claim paid at once does the same, .reserve), so no later claim is exact
            # on room this one may take.
            most = most_of(cs.each, penv, path, y, bounds[k - 1], own_total, accounts)
            if most:
                why_held = (pid, "instalment")
                for key in keys_of(cs.each + cs.whole, path, y):
                    # Its payments in one account over all years hold its whole's bound at
                    # most, not their own bounds' sum (each rounded up alone: a fen more).
                    fen = most.fen
                    if whole is not None and key in counted:
                        fen = min(fen, whole - holding.get(key, 0))
                    holding[key] = holding.get(key, 0) + fen
                    accounts.add(key, subject, Money(fen), False, why_held, key in counted)
                    counted.add(key)
                lines.append(f"year {y}: unknown; holds up to {format_value(most)} of its caps")
            continue
        own_total += amount.fen
        for key in keys_of(cs.each + cs.whole, path, y):
            held_as = None if sure else (pid, unsure)
            accounts.add(key, subject, amount, sure, held_as, key in counted)
            counted.add(key)
        if status == "due" and amount and sure:
            # Without as_of every year is a forecast: shown and counted for the claims
            # after it, never a grant (handed on, it would record later years as paid now).
            if dated:
                grants.append(Grant.trusted(pid, path, amount, y))
            accounts.grant(pid, path, amount)
    known = [p.amount for p in payments]
    total = None if any(a is None for a in known) else Money(sum(a.fen for a in known if a))
    kind = "exact" if total is not None and not missing else "unknown"
    if kind == "exact" and doubted:
        kind = "up_to"  # a payment is at most: an earlier claim may still take its room
    for p in payments:
        shown = format_value(p.amount) if p.amount is not None else "unknown"
        lines.append(
            f"year {p.year} (#{p.index}{', ' + p.share if p.share else ''}): {shown}, {p.status}"
            + (f"; {_changed(p.cap)} from {format_value(p.before)}" if p.cap else "")
        )
    return Paid(
        total,
        kind,
        tuple(payments),
        tuple(grants),
        frozenset(missing),
        tuple(lines),
        tuple(events),
    )


def _not_yet(v: Unknown, env: Env, year: int, as_of_year: int | None, paid: Money) -> set[str]:
    """The facts ``v`` lacks that are yearly lists given without an entry for ``year``, when
    that year is not due yet (after the ``as_of`` year, not paid): the interest of a year
    not come cannot be known, and is not asked for (尚未到期, not 尚缺)."""
    if as_of_year is None or year <= as_of_year or paid:
        return set()
    return {k for k in v.missing if isinstance(env.reads.get(k), list | tuple)}


def _past_the_end(cs: CompiledSchedule, env: Env, years: list[int]) -> list[str]:
    """Refuse a yearly list read by ``this_year`` with an entry after the last year of every
    schedule reading it: that entry (interest paid in a year no schedule pays) would be
    ignored.  An entry after this schedule's last year but within a longer one's (another
    award reading the same list, :attr:`CompiledSchedule.longer`) is that award's year: said
    in a line returned, not refused.

    :raises Undecided: E426, naming the list, the first entry no schedule pays and its year."""
    longer = {shown: (n, pid) for shown, n, pid in cs.longer}
    said: list[str] = []
    for shown, fn in cs.lists:
        items = fn(env)
        if not isinstance(items, list | tuple) or len(items) <= len(years):
            continue
        most, by = longer.get(shown, (len(years), None))
        if by is not None:
            upto = min(len(items), most)
            said.append(
                f"{shown}: entries {len(years) + 1}–{upto} (for {years[-1] + 1}–"
                f"{years[0] + upto - 1}) are after this schedule's years: {by}'s schedule "
                f"of {most} years pays them"
            )
        if len(items) <= most:
            continue
        extra = len(items) - most
        raise Undecided(
            f"E426: {shown} has {len(items)} entries, the first for {years[0]}, and "
            f"{cs.text} pays the {len(years)} years {years[0]}–{years[-1]}: its entry "
            f"{most + 1} ({format_value(items[most])}, for {years[0] + most})"
            + (f" and {extra - 1} more" if extra > 1 else "")
            + " would not be paid"
            + (f" (nor by {by}'s schedule of {most} years)" if by is not None else ""),
            hint="an entry is a year's amount, the first the start's year: remove the "
            "entries after the schedule's last year, or, if the text's period runs into "
            "that year (贴息期限3年 from a day in mid-year touches 4 calendar years), "
            'write the schedule so: see docs/patterns/years.md, "A period counted from '
            'a day"',
        )
    return said


def _hold_undated(
    cp: CompiledProvision,
    cs: CompiledSchedule,
    env: Env,
    path: tuple[tuple[str, str], ...],
    accounts: Accounts,
    why: str,
) -> str | None:
    """A schedule whose start is unknown may pay in any years: it holds the most it could
    take in its shared caps (issue 9), its whole bound in a cap over all years and its
    largest payment's bound in every year of a yearly one (its payments fall in distinct
    years); where no bound is known, the cap's limit.  The trace line, or ``None``."""
    subject, pid = "/".join(i for _, i in path), cp.info.id
    total: int | None = None
    largest: int | None = None
    if not cs.yearly:
        scratch: set[str] = set()
        own = accounts.used(pid, path, None)
        got = entitlement_parts(cp, cs, env, path, accounts, own, scratch, [])
        amounts, _, bounds, whole, _ = got
        parts = [a if a is not None else b for a, b in zip(amounts, bounds, strict=True)]
        if all(m is not None for m in parts):
            fens = [m.fen for m in parts if m is not None]  # (whole: its bound, not their sum)
            total = sum(fens) if whole is None else min(sum(fens), whole)
            largest = max(fens, default=0)
    held: list[str] = []
    for cap in cs.each + cs.whole:
        if not cap.per:
            continue  # the claim's own: no other claim shares it
        limit = cap.limit(env)
        most = total if cap.kind == "ever" else largest
        if most is None:
            if not isinstance(limit, Money):
                continue  # an unknown limit: that cap is unknown for every claim under it
            most = max(limit.fen, 0)
        elif isinstance(limit, Money):
            most = min(most, max(limit.fen, 0))
        if not most:
            continue
        scope = scope_of(path, cap.per)
        if cap.kind == "ever":
            accounts.add((cap.pool, scope, None), subject, Money(most), False, (pid, why))
        else:
            accounts.hold_any_year(cap.pool, scope, subject, Money(most), (pid, why))
        held.append(f"{cap.text}: {format_value(Money(most))}")
    if not held:
        return None
    return "the years of its payments unknown: holds up to " + "; ".join(held)


def _changed(cap: str) -> str:
    """How a payment's own share was changed, for the trace: a cap, or the entitlement."""
    if cap == ENTITLEMENT_RAISED:
        return "raised to settle the earlier years' shares of the entitlement"
    if cap == ENTITLEMENT_CUT:
        return "cut to what the entitlement leaves"
    return f"cut by cap {cap}"


def scheduled_award(
    run: Any, cp: CompiledProvision, env: Env, trace: list[Any], path: tuple[tuple[str, str], ...]
) -> dict[str, Any]:
    """The ``extra`` of an eligible scheduled award's decision for the evaluator's run
    (``run``: its accounts, ``as_of``, grants and ``explain``); the grants made now join
    the run's."""
    assert cp.schedule is not None
    as_of = run.as_of.year if run.as_of is not None else None
    # A claim of an exclusive group that may still lose is at most, and makes no grant.
    verdict = run.verdict(cp, path)
    bounded = verdict is not None and verdict.bounded is not None
    # Its place in a shared pool's order unknown: served as early as it could be, each
    # payment held as a bound, none granted (.order_hold).
    held = run.order_held(cp, path, None)
    certain = not bounded and held is None
    done = pay_schedule(cp, cp.schedule, env, path, run.accounts, as_of, certain=certain)
    kind, _ = run.exclusive_bound(cp, path, done.kind, None, trace)
    missing = set(done.missing)
    if held is not None and done.amount is not None:
        kind = "up_to"
        missing |= held
        trace.append(hold_step(held, done.amount))
    if run.explain:
        trace.extend(Step("schedule", line, None) for line in done.lines)
    run.grants.extend(done.grants)
    if any(p.status == "due" and p.amount and not p.held for p in done.payments):
        for o in cp.info.once:
            run.accounts.mark_paid(cp.info.id, scope_of(path, (o.entity,)))
    return {
        "amount": done.amount,
        "amount_kind": kind,
        "caps": done.caps,
        "missing": missing,
        "schedule": done.payments,
        "granted_before": None,
    }
