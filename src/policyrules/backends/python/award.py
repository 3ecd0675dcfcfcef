"""An eligible award's amount: requested, bounded, counted against what the subject was
granted before, cut by its caps in the order written, and held as a bound where it is not
settled (its order, an exclusive rival, a one-time award an earlier claim may take).

Mixed into the evaluator (:mod:`policyrules.backends.python.evaluate`), which supplies the
accounts, the grants made so far, the settling of unknown decisions and the exclusive
groups' verdicts; a schedule of payments is :mod:`policyrules.backends.python.instalments`'.
"""

from __future__ import annotations

from typing import Any

from ...facts import Instance
from ...model import CheckedPolicy
from ...result import Step
from ...runtime.ledger import Accounts, Grant, ScopeKey
from ...runtime.money import Money
from ...runtime.values import Unknown, format_value
from .amounts import interval
from .claims import apply_caps, cap_line, scope_of
from .compile import CompiledPolicy, CompiledProvision, Env
from .conditions import Conditions
from .exclusive_run import ExclusiveHooks
from .instalments import scheduled_award
from .once_hold import hold_once, once_holder, once_step
from .order_hold import hold_step, pool_members, shares_pool
from .rows import Path
from .tiers import highest_only, tier_steps

__all__ = ["Awards"]


class Awards(Conditions, ExclusiveHooks):
    """The awards of one evaluation (a mixin of the evaluator, on the conditions' settling
    of unknown decisions and the exclusive groups' hooks)."""

    explain: bool
    checked: CheckedPolicy
    policy: CompiledPolicy
    accounts: Accounts
    grants: list[Any]  # Grant, or a grant row of the fast path
    order_unknown: dict[tuple[str, Path], frozenset[str]]
    _members: dict[str, int] | None

    def award(
        self,
        cp: CompiledProvision,
        inst: Instance | None,
        env: Env,
        trace: list[Step],
        path: tuple[tuple[str, str], ...],
        limit_year: int | None = None,
    ) -> dict[str, Any]:
        """The amount of an eligible award's claim, its caps met and its grant made (in the
        year its yearly caps count it in, else ``limit_year``: the year of ``D`` a
        ``limit N per E per year of D`` counted it in, so that the ledger can count its
        place again)."""
        assert inst is not None
        if cp.schedule is not None:  # paid over time: a grant per year (.instalments)
            return scheduled_award(self, cp, env, trace, path)
        assert cp.amount is not None
        explain = self.explain
        low: Money | None = None
        noted = len(env.notes)
        if cp.bounds is not None:  # a range, a minimum, a rounding: bounds before the caps
            low, value, needed = cp.bounds.requested(env, trace if explain else None)
            missing: set[str] = set(needed)
        else:
            value = cp.amount(env)
            missing = set(value.missing) if isinstance(value, Unknown) else set()
        requested = value if isinstance(value, Money) else None
        if explain:  # the defines and progressive bands the amount read
            trace.extend(Step("amount", n, None) for n in dict.fromkeys(env.notes[noted:]))
        if explain and cp.bounds is None:
            what = "decided amount" if cp.info.decided else "amount"
            needs = f" (needs {', '.join(sorted(missing))})" if missing else ""
            trace.append(Step("amount", f"{what}: {format_value(value)}{needs}", None))
            trace.extend(tier_steps(cp.info, self.checked, env))
        if requested is not None and requested < Money.zero():
            # An award pays nothing below zero: a negative grant would give its pools back.
            trace.append(Step("amount", f"{format_value(requested)} is below zero: 0.00 元", None))
            requested = Money.zero()
        if low is not None and low < Money.zero():
            low = Money.zero()
        # The amount is the subject's entitlement under this provision: what it was granted
        # before (any year) counts against it, and against its per-claim caps.
        before = self.accounts.granted_to(cp.info.id, path)
        top = highest_only(cp.info, self.checked, env, self.accounts, path)
        if top is not None and before:
            # highest_only: a higher tier is paid in full, the tiers paid before aside.
            trace.append(
                Step(
                    "tiers",
                    f"highest_only: tier {top.tier} paid in full, "
                    f"{format_value(before)} granted before under lower tiers",
                    None,
                )
            )
        elif before:
            text = f"already granted {format_value(before)} under this provision"
            if requested is not None:
                rest = max(requested - before, Money.zero())
                text += (
                    f": pays the rest {format_value(rest)} "
                    f"({format_value(requested)} − {format_value(before)}, at least 0.00 元)"
                )
                requested = rest
            trace.append(Step("entitlement", text, None))
            if low is not None:
                low = max(low - before, Money.zero())
        capped = apply_caps(cp, env, path, requested, before, self.accounts)
        missing |= capped.missing
        unplaced = self.order_held(cp, path, None if capped.any_year else capped.keys)
        if unplaced is not None:  # its place in the order unknown: as early as it could be
            trace.append(hold_step(unplaced, capped.amount))
        amount = capped.amount
        amount_min = None
        untrimmed: set[str] | None = None
        if amount is None:
            kind = "unknown"
        elif low is not None or (capped.ranged and requested is not None):
            # a range, or a cap whose exception may apply (its limit between two amounts)
            floor = low if low is not None else requested
            assert floor is not None
            # What only moves a cap between its limits does not keep an amount both limits
            # give from being exact.
            bounds = (amount, capped.lowest, capped.missing - capped.ranged)
            untrimmed = missing
            kind, amount_min, missing = interval(floor, bounds, missing, trace if explain else None)
        else:
            exact = requested is not None and not missing and capped.lowest == amount
            kind = "exact" if exact else "up_to"
        own_kind = kind
        bounded = cp.bounds is not None or any(c.exceptions for c in cp.info.caps)
        if unplaced is not None and amount is not None and (amount or not bounded):
            # Only a bound: its earliest place's amount.  (A bounded award cut to 0.00 元
            # there is 0.00 元 wherever it is served: its own kind stands; as the SQL.)
            kind, amount_min = "up_to", None
            # Every fact its amount read is listed, as the SQL window lists them for such a
            # claim, even one an interval closed at its earliest place left out (listing
            # more, never fewer; a finer list needs the window's own kind before the hold).
            missing = untrimmed | unplaced if untrimmed is not None else missing | unplaced
        settled = kind
        kind, amount_min = self.exclusive_bound(cp, path, kind, amount_min, trace)
        rival = kind != settled  # an exclusive group's rival may still win (就高)
        once_by = once_holder(cp, path, self.accounts)
        if once_by is not None and kind in ("exact", "range") and amount:
            # 一次性 per an owner an earlier undecided claim of it may take: at most this.
            kind, amount_min = "up_to", None
            trace.append(once_step(once_by))
        caps = capped.caps
        if explain:
            trace.extend(Step("cap", cap_line(ev), not ev.binding) for ev in caps)
        subject = "/".join(i for _, i in path)
        # Why an undecided claim holds its bound, in its caps and its one-time award alike
        # (runtime/holds.py): its own amount unsettled; exact wherever it is served, only its
        # place unknown; exact, but a rival of its exclusive group (就高) may still win, or an
        # earlier claim may take its one-time award; else its amount is not settled.
        why = (
            "order"
            if own_kind == "exact" and unplaced is not None
            else "exclusive"
            if own_kind == "exact" and rival
            else "once"
            if own_kind == "exact" and once_by is not None
            else "amount"
        )
        if amount is not None and capped.keys:
            held = None if kind == "exact" else (cp.info.id, why)
            for key in capped.keys:
                self.accounts.add(key, subject, amount, certain=kind == "exact", held=held)
        if amount is None and capped.keys:
            # Nothing bounds it (its amount and its caps' limits unknown): it may take all.
            for key in capped.keys:
                self.accounts.hold_open(key, subject, (cp.info.id, "amount"))
        if capped.any_year:
            # Its year unknown: it may count in any year, and holds its bound in each.
            for pool, scope in capped.any_year:
                self.accounts.hold_any_year(pool, scope, subject, amount, (cp.info.id, "year"))
        if kind != "exact" and (amount is None or amount):
            hold_once(cp, path, self.accounts, amount, why)
        if kind == "exact" and amount:
            # 0.00 元 is not a payment: no grant, and a one-time award stays open.
            for o in cp.info.once:
                self.accounts.mark_paid(cp.info.id, scope_of(path, (o.entity,)))
            tier = top.tier if top is not None else None
            year = capped.year if capped.year is not None else limit_year
            self.grants.append(Grant.trusted(cp.info.id, path, amount, year, tier))
            self.accounts.grant(cp.info.id, path, amount)
        if explain:
            label = {"exact": "award", "up_to": "award up to", "unknown": "award unknown"}
            if kind == "range":
                text = f"award at least {format_value(amount_min)}, at most {format_value(amount)}"
            else:
                text = f"{label[kind]}: {format_value(amount)}"
            trace.append(Step("result", text, None))
        if missing:
            # The conditions too: once an amount's fact is given, a `known()` in them may turn.
            fns = [c.fn for c in cp.conditions]
            fns += [cp.amount, *(c.limit for c in cp.caps), *(c.year for c in cp.caps if c.year)]
            missing = self.settle(cp, env, fns, missing)
        extra: dict[str, Any] = {
            "amount": amount,
            "amount_kind": kind,
            "caps": caps,
            "missing": missing,
        }
        if once_by is not None and kind == "up_to":
            extra["held_by"] = (once_by,)
        if amount_min is not None:
            extra["amount_min"] = amount_min
        return {**extra, "granted_before": before or None}

    def order_held(
        self,
        cp: CompiledProvision,
        path: tuple[tuple[str, str], ...],
        keys: tuple[ScopeKey, ...] | None,
    ) -> frozenset[str] | None:
        """The missing order facts of a claim served at its earliest place in a pool it
        shares with other claims (.order_hold; empty for a key that cannot be computed);
        ``None`` for every other claim.  ``keys``: the accounts it drew on (``None``: any
        its `per` caps may draw on, for a payment schedule)."""
        held = self.order_unknown.get((cp.info.id, path)) if self.order_unknown else None
        if held is None or keys == ():
            return None
        if self._members is None:
            self._members = pool_members(self.policy)
        return held if shares_pool(cp, path, self._members, keys) else None
