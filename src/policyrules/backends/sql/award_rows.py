"""The decision row of one award's steps (a mixin of :class:`.award_steps.AwardSteps`): its
status, amount, kind, binding caps and the lists of names it misses and assumes, read from
the award's stored step ``<p>_f``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlglot.expressions as exp

from ... import syntax as s
from ...check_tables import quota_of
from ...model import CheckedPolicy, EntityInfo, ProvisionInfo
from .awards import CapPlan, col, lit, num
from .exclusive_verdicts import UNDATED
from .exprs import SqlValue
from .limit_award import LimitedAward
from .names import names_out
from .outputs import HELD_MARK, decision_row
from .quotas import quota_open
from .sqlbits import VARCHAR, Pairs, all_of, any_of, case, is_null, negate, not_null, true
from .sqlbits import cast as _cast
from .sqlbits import empty_names as _empty
from .sqlbits import status as status_code

__all__ = ["AwardRows", "concat_names", "if_names", "sorted_names"]


def concat_names(parts: Sequence[exp.Expr]) -> exp.Expr:
    """The lists of names ``parts`` one after another (an empty list for none)."""
    if not parts:
        return _empty()
    if len(parts) == 1:
        return parts[0].copy()
    return exp.ArrayConcat(this=parts[0].copy(), expressions=[p.copy() for p in parts[1:]])


def sorted_names(parts: Sequence[exp.Expr]) -> exp.Expr:
    """The names of the lists ``parts``, each once, sorted."""
    return exp.ArraySort(this=exp.ArrayDistinct(this=concat_names(parts)))


def if_names(cond: exp.Expr, then: exp.Expr) -> exp.Expr:
    """The list ``then`` where ``cond`` holds, else an empty list."""
    return case([(cond, then)], _empty())


class AwardRows(LimitedAward):
    """The decision row of an award (:class:`.award_steps.AwardSteps` supplies the state
    read here)."""

    policy: CheckedPolicy
    p: ProvisionInfo
    chain: tuple[EntityInfo, ...]
    caps: tuple[CapPlan, ...]
    shared: CapPlan | None
    special: bool
    verdicts: bool
    fixed: tuple[int, exp.Expr] | None
    rank: SqlValue | None
    lists: dict[str, Pairs]
    ref: Callable[[str], exp.Expr]
    _year_cols: Callable[[], set[str]]
    schedule: s.Schedule | None
    window_name: str | None

    def _unknown(self, x: str) -> exp.Expr:
        """The names an unknown decision misses: the conditions', and an unknown rank's
        (its own, or that of the subjects not yet ranked that may rank before it)."""
        if self.rank is None:
            return self.ref(f"c_{x}")
        parts = [self.ref(f"c_{x}"), self.ref(f"qr_{x}")]
        q = quota_of(self.p)
        r = self.policy.resolve((q.rank,), self.p.subject) if q is not None else None
        if x == "mf" and q is not None and r is not None and r.entity is not None:
            names = exp.Array(expressions=[lit(f"{r.entity}.{q.rank}")])
            parts.append(if_names(quota_open(self.p), names))
        return sorted_names(parts)

    def _award_parts(self) -> dict[str, list[exp.Expr]]:
        """The names its amount misses, and the assumptions it reads (lists ``mf``, ``mp``,
        ``as``)."""
        award_parts: dict[str, list[exp.Expr]] = {
            "mf": [self.ref("a_mf")],
            "mp": [self.ref("a_mp")],
            "as": [self.ref("a_as")],
        }
        if self.p.bounded:
            for x in ("mf", "mp", "as"):
                award_parts[x].append(self.ref(f"n_{x}"))
        for c in self.caps:
            k = c.index
            lim_null = is_null(self.ref(f"l{k}"))
            for x in ("mf", "mp", "as"):
                award_parts[x].append(self.ref(f"l{k}_{x}"))
                if c.cap.exceptions:
                    award_parts[x].append(self.ref(f"x{k}_{x}"))
                if f"y{k}" in self._year_cols():
                    award_parts[x].append(if_names(negate(lim_null.copy()), self.ref(f"y{k}_{x}")))
        if self.schedule is not None:
            # Paid over time, its start unknown: the start's names alone (the one-by-one
            # path reads neither its amount nor its caps before it knows the years).
            start = self.ref("ps")
            for x in ("mf", "mp", "as"):
                read = if_names(not_null(start), sorted_names(award_parts[x]))
                award_parts[x] = [self.ref(f"ps_{x}"), read]
        return award_parts

    def _held_line(self) -> exp.Expr:
        """Where the earlier open claims of its shared cap hold its amount down (``up_to``,
        the room were they paid their bounds, ``ll<k>``, below the amount), the cap and what
        they hold, ``hh<k> - ll<k>`` (:data:`.outputs.HELD_MARK`); else an empty list.  Not
        said of an award paid over time (its years' holds are its schedule's)."""
        c = self.shared
        if c is None or self.schedule is not None or self.window_name is None:
            return _empty()
        hi, lo, amount = col(f"hh{c.index}"), col(f"ll{c.index}"), col("amount")
        held = all_of(
            exp.EQ(this=col("amount_kind"), expression=lit("up_to")),
            not_null(hi),
            not_null(lo),
            not_null(amount),
            exp.LT(this=lo, expression=amount),
        )
        text = exp.DPipe(
            this=lit(c.text + HELD_MARK),
            expression=_cast(exp.Sub(this=hi.copy(), expression=lo.copy()), VARCHAR),
        )
        return if_names(held, exp.Array(expressions=[text]))

    def _decision_row(self) -> list[exp.Expr]:
        """The decision columns (:data:`DECISION_COLUMNS`) from the award's last rows."""
        st = col("st")
        status = case(
            [
                (exp.EQ(this=st, expression=status_code("no")), lit("not_eligible")),
                (exp.EQ(this=st.copy(), expression=status_code("ok")), lit("eligible")),
            ],
            lit("unknown"),
        )
        unknown: exp.Expr = exp.EQ(this=st.copy(), expression=status_code("unknown"))
        if self.fixed is not None and self.fixed[0] == UNDATED:
            # E424 (no as_of): unknown, missing what its conditions miss (it holds nothing)
            unknown = any_of(unknown, exp.EQ(this=col("st0"), expression=status_code("unknown")))
        ok = exp.EQ(this=st.copy(), expression=status_code("ok"))
        award_parts = self._award_parts()
        reading = [self.p.tiers.assumption] if self.p.tiers is not None else []
        if reading:  # the tier reading is read once the amount is known (top_up here)
            names = exp.Array(expressions=[lit(n) for n in reading])
            award_parts["as"].append(if_names(negate(self.ref("a_un")), names))
        order_as = [self.ref(f"o{j}_as") for j in range(len(self.p.order))]
        order_as += self._limit_assumptions()
        if self.shared is not None:  # a claim held at its earliest place misses its order
            held: exp.Expr = col("ou")
            if self.special:  # as last_steps: above 0.00 元
                held = all_of(held, exp.GT(this=col("amount"), expression=num(0)))
            for j in range(len(self.p.order)):
                award_parts["mf"].append(if_names(held.copy(), self.ref(f"o{j}_mf")))
                award_parts["mp"].append(if_names(held.copy(), self.ref(f"o{j}_mp")))
        award_ok = any_of(ok, exp.EQ(this=st.copy(), expression=status_code("undecided")))
        # An exact amount of a bounded or raised claim misses nothing (the one-by-one path's
        # interval): whatever is decided, this is paid.
        own_kind = col("ak0" if self.verdicts else "amount_kind")
        inexact = all_of(
            ok.copy(),
            exp.NEQ(this=own_kind, expression=lit("exact")) if self.special else true(),
        )
        # (paid in instalments: the caps that cut its entitlement, .schedules)
        binding = tuple((c.text, col(f"bc{n}")) for n, c in enumerate(self.caps, start=1))
        caps_out = if_names(ok.copy(), names_out(binding, ordered=True))
        caps_out = concat_names([caps_out, self._held_line()])
        caps_out = self._limit_line(caps_out)
        if self.verdicts:  # then what its exclusive group did to it, as the decision says
            note = exp.Array(expressions=[col("exn")])
            caps_out = concat_names([caps_out, if_names(not_null(col("exn")), note)])
        fields = {
            "status": status,
            "amount": col("amount"),
            "amount_kind": col("amount_kind"),
            **({"amount_min": col("amount_min")} if self.special else {}),
            "binding_caps": caps_out,
            "missing_facts": case(
                [
                    *self._limit_missing("mf"),
                    (unknown, self._unknown("mf")),
                    (inexact, sorted_names(award_parts["mf"])),
                ],
                _empty(),
            ),
            "missing_parameters": case(
                [
                    *self._limit_missing("mp"),
                    (unknown.copy(), self._unknown("mp")),
                    (inexact.copy(), sorted_names(award_parts["mp"])),
                ],
                _empty(),
            ),
            "assumptions": sorted_names(
                [self.ref("c_as"), *order_as, if_names(award_ok, concat_names(award_parts["as"]))]
            ),
        }
        return decision_row(self.p, fields, self.lists, self.chain)
