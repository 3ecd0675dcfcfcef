"""The steps of one award: rows, ledger joins, rooms, the shared cap's window, decisions.

``<p>``: the rows (:func:`.rows.rows_step`) with the amount ``a``, order keys ``o<j>``, cap
limits ``l<k>``, years ``y<k>`` and the flags of their lists of names (:mod:`.names`);
``<p>_q``, for a quota: the ranks counted over every row (:mod:`.quotas`); ``<p>_b``:
joined to the ledger (granted before, paid once, used per cap: one sum of the ledger per
join key); ``<p>_y``, under a shared yearly cap: the rows' scope ids and year alone (the
claims of unknown year's scopes and years read it, :mod:`.ghosts`); ``<p>_r``: status, the
amount requested, each cap's room when it depends on no
other claim (``h<k>``); ``<p>_c``: certainty and the window's inputs (these three:
:mod:`.award_rooms`); the pool's window (:func:`.pools.pool_window`), with each row's
hi/lo as ``hh<k>``/``ll<k>`` (``<p>_j``: read from the window's rows when it carries them,
else joined back by the path's ids);
``<p>_d<k>``: the running amount after cap k and the lowest; ``<p>_e``: amount, kind,
binding cap flags; ``<p>_f``, the one step stored: what the decisions and the grants read (the
decisions write the lists of names; flags packed as bits, the status a code: :mod:`.narrow`;
under a window carrying the rows, the rows' own flags packed in ``<p>`` as ``fe<j>``).  The
decision row itself: :mod:`.award_rows`.
"""

from __future__ import annotations

import datetime as dt

import sqlglot.expressions as exp

from ... import syntax as s
from ...model import CheckedPolicy, EntityInfo, ProvisionInfo
from .award_rooms import LedgerRooms
from .award_rows import AwardRows
from .awards import CapPlan, col, least_known, lit, num
from .bounds import bounded_amount, cap_limit, interval_columns, refuse_shared
from .exclusive_verdicts import BOUNDED
from .exprs import ExprCompiler, SqlValue
from .grants import grant_select
from .narrow import narrow
from .plan import Step
from .quotas import quota_counts, quota_rank
from .rows import chain_of, rows_step
from .schedules import InstalmentPlan, instalment_grants, instalment_steps
from .sqlbits import (
    BIGINT,
    INTEGER,
    VARCHAR,
    Pairs,
    all_of,
    any_of,
    case,
    is_bool,
    is_null,
    not_null,
    true,
)
from .sqlbits import alias as _alias
from .sqlbits import cast as _cast
from .sqlbits import status as status_code
from .years import schedule_of

__all__ = ["AwardSteps"]


def _t(name: str) -> exp.Table:
    return exp.to_table(name, quoted=True)


def _null_text() -> exp.Expr:
    return _cast(exp.Null(), VARCHAR)


class AwardSteps(LedgerRooms, AwardRows):
    """Builds the steps of award ``p`` named ``name``."""

    def __init__(
        self,
        policy: CheckedPolicy,
        p: ProvisionInfo,
        name: str,
        ec: ExprCompiler,
        caps: tuple[CapPlan, ...],
        *,
        verdicts: bool = False,
        fixed: tuple[int, exp.Expr] | None = None,
        as_of: dt.date | None = None,
    ) -> None:
        self.policy, self.p, self.name, self.ec, self.caps = policy, p, name, ec, caps
        # its exclusive groups' verdicts (.exclusive_verdicts), or one fixed for every
        # claim (a supersession: .exclusive)
        self.verdicts, self.fixed = verdicts or fixed is not None, fixed
        self.chain = chain_of(policy, p.subject)
        self.entities = tuple(e.name for e in policy.entities)
        self.shared = next((c for c in caps if c.shared), None)
        self.years = [c for c in caps if c.cap.per and c.cap.year_of is not None]
        self.order_kinds = [ec.type_of(k).kind for k in p.order]
        self.constants: dict[str, exp.Expr] = {}
        self.lists: dict[str, Pairs] = {}
        # A range, minimum or rounding (bounds), or a cap whose limit may be raised: the
        # decision has a lower bound (amount_min) and the kind ``range`` (see .bounds).
        self.raised = [c for c in caps if c.cap.exceptions]
        self.special = p.bounded or bool(self.raised)
        refuse_shared(p, self.shared, bool(self.raised))
        self.rank = quota_rank(ec, p)  # 择优支持不超过 N 个: the rank, ``qr`` (see .quotas)
        self.ranked = f"{name}_q" if self.rank is not None else name
        self.limit = self.limit_of(ec)  # 单个企业每年奖励人数不超过 N 人 (.limit_award)
        # 分两年拨付: instalments, one grant a year (.schedules; the shapes .years passed)
        self.schedule = schedule_of(p)
        if self.schedule is not None:
            kind = ec.type_of(self.schedule.start).kind
            year = as_of.year if as_of is not None else None
            self.instalments = InstalmentPlan.of(self.schedule, kind, year)

    # ---- rows, ledger, rooms -----------------------------------------------------------

    def first_steps(self) -> list[Step]:
        p, name = self.p, self.name
        values: dict[str, s.Expr | SqlValue] = {}
        if p.bounded:
            values["a"], values["al"], values["n"] = bounded_amount(self.ec, p)
        elif p.amount is not None:
            values["a"] = p.amount.expr
        elif p.decided is not None:
            values["a"] = s.Name((p.decided.fact,))
        for j, key in enumerate(p.order):
            values[f"o{j}"] = key
        for c in self.caps:
            values[f"l{c.index}"] = c.cap.limit
            if c.cap.exceptions:
                k = c.index
                values[f"l{k}"], values[f"m{k}"], values[f"x{k}"] = cap_limit(self.ec, c.cap, p.id)
            if c.cap.per and c.cap.year_of is not None:
                values[f"y{c.index}"] = c.cap.year_of
        if self.rank is not None:
            values["qr"] = self.rank
        if self.schedule is not None:
            values["ps"] = self.schedule.start
        if self.limit is not None and self.limit.limit.year_of is not None:
            values["ly"] = self.limit.limit.year_of
        if "a" not in values:  # pragma: no cover - the checker requires an amount
            raise self.ec.fail(s.Name(("amount",)), "an award with no amount")
        rows = rows_step(name, self.policy, p, self.ec, values)
        self.lists = rows.lists
        self._lift_constants(rows.select)
        self.rows_select = rows.select
        self._row_values: dict[str, exp.Expr] = {
            e.alias: e.this for e in rows.select.expressions if isinstance(e, exp.Alias)
        }
        steps: list[Step] = [(name, rows.select)]
        if self.rank is not None:
            steps.append((self.ranked, quota_counts(name)))
        rooms, window_inputs = self._rooms()
        years = self._years_of(rows.select)
        self.years_step = f"{name}_y" if years is not None else f"{name}_b"
        return [
            *steps,
            *([(self.years_step, years)] if years is not None else []),
            (f"{name}_b", self._ledger()),
            (f"{name}_r", rooms),
            (f"{name}_c", window_inputs),
        ]

    _LISTS = ("_mf", "_mp", "_as", "_un")

    def _lift_constants(self, select: exp.Select) -> None:
        """Take out of the rows the lists and flags (``<k>_mf``, ``_mp``, ``_as``, ``_un``)
        and the caps' limits (``l<k>``) that are the same on every row (most lists are
        empty, most flags FALSE, most limits an amount of the text): :meth:`ref` writes
        them in place where they are read, so no step carries them row by row (and the
        engine folds what depends on them alone: a written limit is never NULL)."""
        limits = {f"l{c.index}" for c in self.caps}
        kept: list[exp.Expr] = []
        for e in select.expressions:
            if (
                isinstance(e, exp.Alias)
                and (e.alias.endswith(self._LISTS) or e.alias in limits)
                and e.this.find(exp.Column) is None
            ):
                self.constants[e.alias] = e.this
            else:
                kept.append(e)
        select.set("expressions", kept)

    def ref(self, name: str) -> exp.Expr:
        """Column ``name`` of the rows, or its value when :meth:`_lift_constants` took it."""
        const = self.constants.get(name)
        return const.copy() if const is not None else col(name)

    # ---- the shared cap's window ------------------------------------------------------

    def id_key(self, j: int) -> EntityInfo | None:
        """The entity of the path whose id order key ``j`` is, if it is one."""
        key = self.p.order[j]
        if not isinstance(key, s.Name):
            return None
        r = self.policy.resolve(key.parts, self.p.subject)
        if r is None or r.kind != "fact" or r.name != "id":
            return None
        return next((e for e in self.chain if e.name == r.entity), None)

    window_name: str | None = None
    window_ranked: bool = False
    window_wide: bool = False  # the window holds every row and column (see .pools)
    years_step: str = ""  # the rows the scopes and years of .ghosts read (``_y``, ``_b``)
    rows_select: exp.Select | None = None  # step ``<p>``, the rows

    def _inline(self, e: exp.Expr) -> exp.Expr:
        """``e`` with each column of the rows written as the rows step computes it (to be
        added to that step's own SELECT)."""
        values = self._row_values

        def put(n: exp.Expr) -> exp.Expr:
            if isinstance(n, exp.Column) and not n.table and n.name in values:
                return values[n.name].copy()
            if isinstance(n, exp.Column) and not n.table and n.name == "ou":
                assert self.unknown_order is not None  # see last_steps
                return self._inline(self.unknown_order)
            return n

        out: exp.Expr = e.transform(put, copy=True)
        return out

    # ---- running amounts, kind, decisions, grants -------------------------------------

    def last_steps(self) -> tuple[list[Step], exp.Select, exp.Select]:
        name = self.name
        if self.instalments is not None:
            return self._instalment_steps()
        steps: list[Step] = []
        src = f"{name}_c"
        if self.shared is not None and self.window_name is not None and self.window_wide:
            k = self.shared.index
            src = f"{name}_j"
            w = self.window_name
            # The rows outside the window have their own ``h<k>`` as ``hi`` and ``lo``
            # there, those in it ``h<k>`` NULL (.pools): ``hi``/``lo`` are the bounds.
            wide = exp.select(
                exp.Star(),
                _alias(col("hi"), f"hh{k}", True),
                _alias(col("lo"), f"ll{k}", True),
            )
            steps.append((src, wide.from_(_t(w), copy=False)))
        elif self.shared is not None and self.window_name is not None:
            k = self.shared.index
            w = self.window_name
            depth = len(self.shared.scope)
            conds: list[exp.Expr] = []
            if self.window_ranked:
                conds.append(exp.EQ(this=col("pr", "w"), expression=lit(self.p.id)))
            for i, ent in enumerate(self.chain):
                key = f"sc_{ent.name}" if i < depth else f"j_{ent.name}"
                conds.append(exp.EQ(this=col(key, "w"), expression=col(f"e_{ent.name}", "c")))
            on = all_of(*conds)
            q = (
                exp.select(
                    exp.Column(this=exp.Star(), table=exp.to_identifier("c", quoted=True)),
                    _alias(
                        exp.Coalesce(this=col(f"h{k}", "c"), expressions=[col("hi", "w")]),
                        f"hh{k}",
                        quoted=True,
                    ),
                    _alias(
                        exp.Coalesce(this=col(f"h{k}", "c"), expressions=[col("lo", "w")]),
                        f"ll{k}",
                        quoted=True,
                    ),
                )
                .from_(_alias(_t(src), "c", quoted=True), copy=False)
                .join(_alias(_t(w), "w", quoted=True), on=on, join_type="left", copy=False)
            )
            src = f"{name}_j"
            steps.append((src, q))
        run: exp.Expr = col("req")
        low: exp.Expr = col("req")
        cols: list[exp.Expr] = [
            exp.Star(),
            _alias(col("req"), "run_0", quoted=True),
            _alias(col("req"), "low_0", quoted=True),
        ]
        step_q = exp.select(*cols).from_(_t(src), copy=False)
        steps.append((f"{name}_d0", step_q))
        prev = f"{name}_d0"
        last = len(self.caps)
        # Not bounded, no cap raised: a cap not shared has lo = hi = h<k>, and ``rstar`` is
        # the request cut to every h<k> (LEAST skipping NULLs, as the running amounts), the
        # shared cap's h<k> among them, which is NULL wherever hh<k> is not h<k> (.pools,
        # .award_rooms).  So the amount after every cap is rstar cut to hh<k>, the lowest
        # rstar cut to ll<k>: the grants alone read rstar, not the request and each room.
        s_k = self.shared.index if self.shared is not None else None
        plain_run = col("rstar") if s_k is None else least_known(col("rstar"), col(f"hh{s_k}"))
        plain_low = col("rstar") if s_k is None else least_known(col("rstar"), col(f"ll{s_k}"))
        for n, c in enumerate(self.caps, start=1):
            k = c.index
            hi = col(f"hh{k}") if c.shared else col(f"h{k}")
            lo = col(f"ll{k}") if c.shared else col(f"hm{k}" if c.cap.exceptions else f"h{k}")
            # a cap of unknown room (NULL) leaves the amount as it was: LEAST skips it
            run = least_known(col(f"run_{n - 1}"), hi)
            low = least_known(col(f"low_{n - 1}"), lo)
            if n == last and not self.special:
                run, low = plain_run, plain_low
            q = exp.select(
                exp.Star(),
                _alias(run, f"run_{n}", quoted=True),
                _alias(low, f"low_{n}", quoted=True),
            ).from_(_t(prev), copy=False)
            prev = f"{name}_d{n}"
            steps.append((prev, q))
        amount = col(f"run_{last}")
        same: exp.Expr = exp.EQ(this=col(f"low_{last}"), expression=amount.copy())
        if not self.special and s_k is None:  # the lowest is the amount: rstar both
            same = true()
        elif not self.special and self.window_wide:  # ``tight``: hi is lo there (.awards)
            same = any_of(col("tight"), same)
        exact = all_of(col("cert"), same)
        kind = case([(is_null(amount), lit("unknown")), (exact, lit("exact"))], lit("up_to"))
        amount_min: exp.Expr = _cast(exp.Null(), BIGINT)
        if self.special:
            kind, amount_min = interval_columns(self.p, self.caps, amount, last, self.ref)
            if self.shared is not None and self.p.order:  # its order unknown: a bound
                # (above 0.00 元: cut to 0.00 元 at its earliest place, it is 0.00 元 anywhere)
                held = all_of(col("ou"), exp.GT(this=amount.copy(), expression=num(0)))
                kind = case([(is_null(amount), lit("unknown")), (held, lit("up_to"))], kind)
                amount_min = case([(held.copy(), _cast(exp.Null(), BIGINT))], amount_min)
        binding = []
        for n, c in enumerate(self.caps, start=1):
            hi = col(f"hh{c.index}") if c.shared else col(f"h{c.index}")
            before, after = col(f"run_{n - 1}"), col(f"run_{n}")
            with_req = all_of(not_null(before), exp.LT(this=after, expression=before))
            without = all_of(
                exp.EQ(this=after.copy(), expression=amount.copy()),
                any_of(is_null(before), exp.NEQ(this=before.copy(), expression=after.copy())),
            )
            cond = all_of(not_null(hi), case([(not_null(col("req")), with_req)], without))
            binding.append(_alias(is_bool(cond, True), f"bc{n}", quoted=True))
        ok = exp.EQ(this=col("st"), expression=status_code("ok"))
        own: list[exp.Expr] = []
        if self.verdicts:  # a rival may still win (就高): at most, whatever its own kind
            rival = exp.EQ(this=col("exv"), expression=num(BOUNDED))
            if self.special:  # the missing facts read its own kind (``ak0``)
                own.append(_alias(case([(ok.copy(), kind.copy())], _null_text()), "ak0", True))
            kind = case([(rival, lit("up_to"))], kind)
            amount_min = case([(rival.copy(), _cast(exp.Null(), BIGINT))], amount_min)
        steps.append(
            (
                f"{name}_e",
                exp.select(
                    exp.Star(),
                    *own,
                    _alias(case([(ok, amount)], _cast(exp.Null(), BIGINT)), "amount", quoted=True),
                    _alias(
                        case([(ok.copy(), kind)], _cast(exp.Null(), VARCHAR)),
                        "amount_kind",
                        quoted=True,
                    ),
                    _alias(
                        case([(ok.copy(), amount_min)], _cast(exp.Null(), BIGINT)),
                        "amount_min",
                        quoted=True,
                    ),
                    *binding,
                ).from_(_t(prev), copy=False),
            )
        )
        last_step, overrides = f"{name}_e", self._limit_steps(steps)
        if overrides:
            last_step = steps[-1][0]
        row = self._decision_row()
        # The stored step holds only what the decisions and the grants read: the lists of
        # names are written once, by the decisions, from flags.
        keep = {e.name for x in row for e in x.find_all(exp.Column)}
        keep |= {f"e_{e.name}" for e in self.chain} | {"st", "amount", "amount_kind"}
        keep |= {"amount_min"} if self.special else set()
        year = col(f"yr{self.years[-1].index}") if self.years else _cast(exp.Null(), INTEGER)
        if self.window_wide and self.years and self.years[-1] is self.shared:
            year = col("yr")  # the same year, on every row out of the window (.pools)
        if not self.years and overrides and self.limit is not None and self.limit.by_year:
            year = col("lyr")  # no yearly cap: the year of D the limit counted it in (.limits)
        kept = [_alias(overrides[c], c, True) if c in overrides else col(c) for c in sorted(keep)]
        stored = exp.select(*kept, _alias(year, "gy", quoted=True)).from_(_t(last_step), copy=False)
        steps.append((f"{name}_f", stored))
        final = exp.select(*row).from_(_t(f"{name}_f"), copy=False)
        grant = grant_select(self.p.id, self.name, self.chain, self.entities)
        flags = {f"bc{n}" for n in range(1, len(self.caps) + 1)}  # never NULL (is_bool)
        flags |= {w.name for ps in self.lists.values() for _, w in ps if isinstance(w, exp.Column)}
        # Flags as bits, ``st`` as a code.  Under a window carrying the award's rows, the
        # rows' own flags are packed in the rows step (``<p>``): the steps after it, the
        # window among them, carry one INTEGER and not a column per flag.
        early = set(self._row_values) if self.window_wide else set()
        if self.window_wide and self.unknown_order is not None:
            # ``ou`` (never NULL here: a window carries its rows only when every order key
            # is always known) is a flag of the rows too: out of the window's columns
            flags.add("ou")
            early.add("ou")
        packed = narrow(stored, [final, grant], flags, early)
        if packed and self.rows_select is not None:
            self.rows_select.select(*map(self._inline, packed), append=True, copy=False)
        return steps, final, grant

    def _instalment_steps(self) -> tuple[list[Step], exp.Select, exp.Select]:
        """The steps of an award paid in instalments after ``<p>_c`` (.schedules), its
        decisions and grants."""
        plan = self.instalments
        assert plan is not None
        limits = [self.ref(f"l{c.index}") for c in self.caps]
        steps = instalment_steps(plan, self.name, col("a"), limits, self.ref("ps"))
        final = exp.select(*self._decision_row()).from_(_t(f"{self.name}_f"), copy=False)
        grant = instalment_grants(plan, self.p.id, self.name, self.chain, self.entities)
        return steps, final, grant
