"""The ledger and the rooms of one award: steps ``<p>_b``, ``<p>_r`` and ``<p>_c`` (a mixin
of :class:`.award_steps.AwardSteps`, which supplies the state read here).

``<p>_b``: the rows joined to the ledger (granted before, paid once, used per cap: one sum of
the ledger per join key); ``<p>_r``: status, the amount requested, each cap's room when it
depends on no other claim (``h<k>``); ``<p>_c``: the certainty of the amount and the shared
cap's window inputs, read from the status column.
"""

from __future__ import annotations

import sqlglot.expressions as exp

from ... import syntax as s
from ...model import CheckedPolicy, EntityInfo, ProvisionInfo
from .awards import CapPlan, LedgerSum, col, greatest, least_known, ledger_sums, num
from .bounded_pool import floor_column
from .bounds import low_bound, low_room
from .exclusive_verdicts import BOUNDED, FAIL, TIE, UNDATED, verdict_join
from .exprs import ExprCompiler, SqlValue
from .quotas import quota_status, quota_tie
from .schedules import InstalmentPlan, ledger_years, outside
from .sqlbits import BIGINT, INTEGER, all_of, any_of, case, is_null, negate, not_null, status
from .sqlbits import alias as _alias
from .sqlbits import cast as _cast

__all__ = ["LedgerRooms"]


def _t(name: str) -> exp.Table:
    return exp.to_table(name, quoted=True)


def _or0(e: exp.Expr) -> exp.Expr:
    return exp.Coalesce(this=e, expressions=[num(0)])


class LedgerRooms:
    """Steps ``<p>_b`` and ``<p>_c`` of an award (a mixin of the award's steps)."""

    policy: CheckedPolicy
    p: ProvisionInfo
    name: str
    ec: ExprCompiler
    caps: tuple[CapPlan, ...]
    chain: tuple[EntityInfo, ...]
    entities: tuple[str, ...]
    shared: CapPlan | None
    years: list[CapPlan]
    rank: SqlValue | None
    ranked: str
    # ``ou`` of ``<p>_c`` (a claim under a shared cap whose order is unknown) as the rows'
    # columns give it, None when there is no such column
    unknown_order: exp.Expr | None = None
    # an award of an exclusive group, compiled after its first pass: its rows read their
    # verdict (``exv``, ``exn``: .exclusive_verdicts)
    verdicts: bool = False
    # a verdict fixed for every claim, level and line (a supersession: .exclusive)
    fixed: tuple[int, exp.Expr] | None = None
    # its instalments, when it is paid over time (.schedules)
    instalments: InstalmentPlan | None = None

    def ref(self, name: str) -> exp.Expr:
        raise NotImplementedError  # pragma: no cover - AwardSteps defines it

    def _year(self, c: CapPlan, y: exp.Expr | None = None) -> exp.Expr:
        """The year cap ``c`` counts in: a date's year, or a ``year`` fact's number (of
        ``y``, by default the rows' column ``y<k>``)."""
        assert c.cap.year_of is not None
        y = col(f"y{c.index}", "r") if y is None else y
        if self.ec.type_of(c.cap.year_of).kind == "year":
            return _cast(y, INTEGER)
        return _cast(exp.Year(this=y), INTEGER)

    def _ledger(self) -> exp.Select:
        """The rows with ``before`` (granted to this subject under this provision, any
        year), ``paid`` (a one-time award already paid), ``u<k>`` (the ledger's grants in
        cap k's pool and scope, and year) and ``yr<k>`` (the year cap k counts in)."""
        p, chain = self.p, self.chain
        names = [e.name for e in chain]
        # One sum of the ledger per join key (scope, and year of a cap), its totals side
        # by side: ``before``, ``paid``, the caps' used amounts.
        groups: dict[tuple[tuple[str, ...], int | None], list[LedgerSum]] = {}
        scopes: dict[tuple[tuple[str, ...], int | None], tuple[EntityInfo, ...]] = {}
        years: dict[int, CapPlan] = {}

        def add(scope: tuple[EntityInfo, ...], year: CapPlan | None, x: LedgerSum) -> str:
            key = (tuple(e.name for e in scope), year.index if year is not None else None)
            groups.setdefault(key, []).append(x)
            scopes[key] = scope
            if year is not None:
                years[year.index] = year
            return f"lg{list(groups).index(key)}"

        extra: list[exp.Expr] = []
        at = add(chain, None, LedgerSum("before", frozenset({p.id}), exact=True))
        extra.append(_alias(_or0(col("before", at)), "before", quoted=True))
        paid: list[exp.Expr] = []
        for i, o in enumerate(p.once):
            if self.instalments is not None and o.entity == names[-1]:
                continue  # its own earlier instalments, not a second award (as one by one)
            depth = names.index(o.entity)
            at = add(chain[: depth + 1], None, LedgerSum(f"paid{i}", frozenset({p.id}), paid=True))
            paid.append(not_null(col(f"paid{i}", at)))
        extra.append(_alias(any_of(*paid) if paid else exp.false(), "paid", quoted=True))
        for c in self.caps:
            if not c.cap.per:
                continue
            year = c if c.cap.year_of is not None else None
            at = add(c.scope, year, LedgerSum(f"used{c.index}", frozenset(self._members(c.pool))))
            extra.append(_alias(_or0(col(f"used{c.index}", at)), f"u{c.index}", quoted=True))
            if year is not None:
                extra.append(_alias(self._year(c), f"yr{c.index}", quoted=True))
        star = exp.Column(this=exp.Star(), table=exp.to_identifier("r", quoted=True))
        verdict = verdict_join(p.id, chain) if self.verdicts and self.fixed is None else None
        extra += verdict[2] if verdict is not None else []
        if self.fixed is not None:
            level, line = self.fixed
            extra += [_alias(num(level), "exv", quoted=True), _alias(line, "exn", quoted=True)]
        by_year: list[tuple[exp.Expr, exp.Expr]] = []
        if self.instalments is not None:  # its instalments in the ledger, year by year
            got, by_year = ledger_years(
                self.instalments, p.id, self.entities, chain, self.ref("ps")
            )
            extra += got
        q = exp.select(star, *extra).from_(_alias(_t(self.ranked), "r", quoted=True), copy=False)
        if verdict is not None:
            q = q.join(verdict[0], on=verdict[1], join_type="left", copy=False)
        for joined, on in by_year:
            q = q.join(joined, on=on, join_type="left", copy=False)
        for n, (key, sums) in enumerate(groups.items()):
            alias = f"lg{n}"
            scope_names, year_of = key
            conds: list[exp.Expr] = [
                exp.EQ(this=col(f"k_{e}", alias), expression=col(f"e_{e}", "r"))
                for e in scope_names
            ]
            if year_of is not None:
                cap = years[year_of]
                conds.append(exp.EQ(this=col("k_year", alias), expression=self._year(cap)))
            sub = ledger_sums(self.entities, scopes[key], sums, year=year_of is not None)
            table = exp.Subquery(
                this=sub, alias=exp.TableAlias(this=exp.to_identifier(alias, quoted=True))
            )
            q = q.join(table, on=all_of(*conds), join_type="left", copy=False)
        return q

    def _years_of(self, rows: exp.Select) -> exp.Select | None:
        """Step ``<p>_y``: the rows' scope ids under the shared yearly cap and the year
        they count in (``e_<entity>``, ``yr<k>``), read from the rows' tables as the rows
        step ``rows`` reads them (the same rows).  The scopes and years of the claims of
        unknown year (:func:`.ghosts.ghost_years`) read it rather than ``<p>_b``: a reader
        more of the rows with the ledger made DuckDB store all their columns."""
        c = self.shared
        if c is None or c.cap.year_of is None:
            return None
        named = {e.alias: e.this for e in rows.expressions if isinstance(e, exp.Alias)}
        want = [f"e_{e.name}" for e in c.scope]
        y = named.get(f"y{c.index}")
        if y is None or any(w not in named for w in want):  # pragma: no cover - always there
            return None
        out = rows.copy()
        ids = [_alias(named[w].copy(), w, quoted=True) for w in want]
        out.set("expressions", [*ids, _alias(self._year(c, y.copy()), f"yr{c.index}", True)])
        return out

    def _members(self, pool: str) -> set[str]:
        return {pool} | {
            x.id
            for x in self.policy.provisions()
            if any((cap.shared or x.id) == pool for cap in x.caps)
        }

    def _rooms(self) -> tuple[exp.Select, exp.Select]:
        """Steps ``<p>_r`` (status ``st``, requested amount, static rooms ``h<k>``, the
        amount after them ``rstar``) and ``<p>_c`` (certainty ``cert``, the window's inputs
        ``fstar`` and ``win``, from the column ``st``)."""
        undecided: list[exp.Expr] = [self.ref("a_un")]
        if self.p.bounded:
            undecided.append(self.ref("n_un"))
        for c in self.caps:
            k = c.index
            undecided.append(self.ref(f"l{k}_un"))
            if f"y{k}" in self._year_cols():
                undecided.append(all_of(not_null(self.ref(f"l{k}")), self.ref(f"y{k}_un")))
        states: list[tuple[exp.Expr, exp.Expr]] = [
            (exp.NEQ(this=col("st0"), expression=status("ok")), col("st0")),
            (col("paid"), status("no")),
        ]
        if self.instalments is not None:
            # Paid over time: an unknown start is all the claim is known to need (the
            # one-by-one path reads nothing else); a ledger payment outside its years is
            # undecided (E421), as one by one.
            start = self.ref("ps")
            states += [
                (self.ref("ps_un"), status("undecided")),
                (is_null(start), status("ok")),
                (outside(self.instalments, start.copy()), status("undecided")),
            ]
        states.append((any_of(*(u.copy() for u in undecided)), status("undecided")))
        st = case(states, status("ok"))
        if self.rank is not None:  # the quota, after the conditions, before the rest
            st = quota_status(self.p, st)
        if self.verdicts:  # after the conditions (unless undecided), before the rest
            exv = col("exv")
            st = case(
                [
                    (
                        all_of(
                            exp.EQ(this=exv, expression=num(FAIL)),
                            exp.NEQ(this=col("st0"), expression=status("undecided")),
                        ),
                        status("no"),
                    ),
                    (exp.In(this=exv.copy(), expressions=[num(TIE), num(UNDATED)]), status("tie")),
                ],
                st,
            )
        amount = col("a")
        req = case(
            [(is_null(amount), _cast(exp.Null(), BIGINT))],
            greatest(exp.Sub(this=greatest(amount, num(0)), expression=col("before")), num(0)),
        )
        cols: list[exp.Expr] = [
            exp.Star(),
            _alias(st, "st", quoted=True),
            _alias(req, "req", quoted=True),
        ]
        known: list[exp.Expr] = [not_null(amount)]
        caps_known: list[exp.Expr] = []
        rstar: exp.Expr | None = None
        for c in self.caps:
            k = c.index
            lim = self.ref(f"l{k}")
            known.append(not_null(lim))
            caps_known.append(not_null(lim.copy()))
            whens: list[tuple[exp.Expr, exp.Expr]] = [(is_null(lim), _cast(exp.Null(), BIGINT))]
            if not c.cap.per:
                room: exp.Expr = greatest(exp.Sub(this=lim, expression=col("before")), num(0))
            else:
                if c.cap.year_of is not None:
                    known.append(not_null(col(f"yr{k}")))
                    caps_known.append(not_null(col(f"yr{k}")))
                    whens.append((is_null(col(f"yr{k}")), greatest(lim, num(0))))
                room = (
                    _cast(exp.Null(), BIGINT)
                    if c.shared
                    else greatest(exp.Sub(this=lim, expression=col(f"u{k}")), num(0))
                )
            h = case(whens, room)
            cols.append(_alias(h, f"h{k}", quoted=True))
            if c.cap.exceptions:  # the room the cap's lowest limit leaves
                cols.append(_alias(low_room(c), f"hm{k}", quoted=True))
        if self.p.bounded:
            cols.append(_alias(low_bound(col("al")), "lb", quoted=True))
        for c in self.caps:
            rstar = least_known(rstar, col(f"h{c.index}"))
        rstar = least_known(rstar, col("req")) if rstar is not None else col("req")
        cols.append(_alias(rstar, "rstar", quoted=True))
        first = exp.select(*cols).from_(_t(f"{self.name}_b"), copy=False)
        # The next step reads ``st`` as a column: its CASE is written and computed once
        # (cert and win repeated it).  A claim whose eligibility is unknown (its
        # conditions, or its rank under a quota) is never certain (see win below).
        st_col = col("st")
        known.append(exp.EQ(this=st_col, expression=status("ok")))
        if self.verdicts:  # a claim that may still lose holds its amount, uncertain
            known.append(exp.NEQ(this=col("exv"), expression=num(BOUNDED)))
        # An unknown order key (NULL, or undecided: pools.py makes it NULL) in a shared
        # cap: the claim is served first, never certain, with no lower bound (its amount
        # there only a bound: backends/python/order_hold.py).
        ordered: list[exp.Expr] = []
        if self.shared is not None:
            for j in range(len(self.p.order)):
                ordered += [not_null(col(f"o{j}")), negate(self.ref(f"o{j}_un"))]
        known += [e.copy() for e in ordered]
        more: list[exp.Expr] = [exp.Star(), _alias(all_of(*known), "cert", quoted=True)]
        if self.shared is not None:
            fstar = floor_column(self.p.bounded, caps_known + ordered, col("rstar"))
            more.append(_alias(fstar, "fstar", quoted=True))
            if ordered:  # ``ou``: it enters the window, or holds there (.ghosts), with its
                # order unknown (the kind and the missing facts read it: award_steps)
                ou = negate(all_of(*(e.copy() for e in ordered)))
                self.unknown_order = ou.copy()
                more.append(_alias(ou, "ou", True))
            k = self.shared.index
            # A claim whose eligibility is unknown may yet be eligible: it enters the window
            # as uncertain, holding its bound (as backends/python/reserve.py).  Its status
            # after the quota decides: outside the quota it can never be paid; an unknown
            # rank leaves it open; a tie at the quota's boundary is undecided, holding nothing.
            maybe = all_of(
                exp.EQ(this=st_col.copy(), expression=status("unknown")),
                negate(col("paid")),
                negate(any_of(*undecided)),
            )
            if self.rank is not None:
                maybe = all_of(maybe, negate(quota_tie(self.p)))
            ok = exp.EQ(this=st_col.copy(), expression=status("ok"))
            placed = [not_null(self.ref(f"l{k}"))]
            if self.shared.cap.year_of is not None:
                placed.append(not_null(col(f"yr{k}")))
            win = all_of(any_of(ok, maybe), *placed)
            if self.holds_only():
                # ``gw``: a claim that would enter but for its unknown year or its cap's
                # unknown limit: it only holds, in every year or in its own (.ghosts)
                gw = all_of(any_of(ok.copy(), maybe.copy()), negate(all_of(*placed)))
                more.append(_alias(gw, "gw", True))
            more.append(_alias(win, "win", quoted=True))
        second = exp.select(*more).from_(_t(f"{self.name}_r"), copy=False)
        return first, second

    def holds_only(self) -> bool:
        """Whether a claim may hold under its shared cap with no place in its window (a
        ghost, :mod:`.ghosts`): its year unknown, or its limit (not a written amount)."""
        c = self.shared
        return c is not None and (
            c.cap.year_of is not None or not isinstance(c.cap.limit, s.MoneyLit)
        )

    def _year_cols(self) -> set[str]:
        return {f"y{c.index}" for c in self.years}
