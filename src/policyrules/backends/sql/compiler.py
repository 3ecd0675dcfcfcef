"""``compile_batch``: a checked policy, its parameters and assumptions → a :class:`SqlPlan`.

The plan's steps, per provision ``p<i>`` (see :mod:`.rows`, :mod:`.awards`,
:mod:`.deadlines`), then one window per shared pool, then the two outputs.  A policy with
exclusive groups has first the steps of a first pass of their awards and of those sharing a
pool with them (``x<i>``, windows ``xw…``) and the groups' verdicts (:mod:`.exclusive_verdicts`),
which the awards of the groups read:

``decisions``: provision, kind, subject ('firm-a/A1'), firm (the id of the subject's firm,
the entity named ``firm`` on its path, else NULL), status (eligible | not_eligible |
unknown | met | not_met | pending), amount (BIGINT fen), amount_min (BIGINT fen, the lower
bound of a range), amount_kind (exact | range | up_to | unknown), binding_caps (then what an
exclusive group did to the claim), missing_facts, missing_parameters, assumptions
(VARCHAR[], the last three sorted).

``grants``: provision, one VARCHAR column per entity (the grant's path), amount_fen
(BIGINT), year (INTEGER): the exact awards above 0.00 元, appendable to a registry's
``ledger`` table as they are.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import Any

import attrs
import sqlglot.expressions as exp

from ... import syntax as s
from ...check_pools import pool_components
from ...errors import Diagnostic
from ...exprs import Env, compile_expr
from ...model import CheckedPolicy, ProvisionInfo
from ...runtime.calendar import HOLIDAY_ASSUMPTION
from ...runtime.values import Value
from ..python.compile import CompiledPolicy
from .award_steps import AwardSteps
from .cap_plans import award_caps, cap_plans
from .deadlines import calendar_steps, deadline_select
from .exclusive import refuse_exclusive, superseded_verdict
from .exclusive_verdicts import FirstPass, verdict_steps
from .exprs import ExprCompiler
from .grants import no_grants
from .limits import refuse_limit
from .outputs import DECISION_COLUMNS, decision_row, sorted_list
from .plan import BatchCompileError, SqlPlan, Step, refuse
from .pools import pool_window
from .rows import chain_of, rows_step
from .sqlbits import VARCHAR, Pairs, case, negate
from .sqlbits import alias as _alias
from .sqlbits import cast as _cast
from .sqlbits import empty_names as _empty
from .sqlbits import status as status_code
from .tiers import refuse_tiers
from .trees import table
from .year_checks import year_check
from .years import refuse_years

__all__ = ["DECISION_COLUMNS", "compile_batch"]


def _col(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def _values(
    policy: CheckedPolicy | CompiledPolicy,
    parameters: Mapping[str, Value],
    assumptions: Mapping[str, Value],
) -> tuple[CheckedPolicy, dict[str, Value], dict[str, Value]]:
    checked = policy.checked if isinstance(policy, CompiledPolicy) else policy
    constants = Env({}, {}, {}, None)
    params = {
        p.name: compile_expr(p.default, checked, None)(constants)
        for p in checked.parameters
        if p.default is not None
    }
    params.update(parameters)
    assume = {
        a.name: compile_expr(a.default, checked, None)(constants) for a in checked.assumptions
    }
    assume.update({k: v for k, v in assumptions.items() if k != HOLIDAY_ASSUMPTION})
    return checked, params, assume


def compile_batch(
    policy: CheckedPolicy | CompiledPolicy,
    *,
    parameters: Mapping[str, Value] | None = None,
    assumptions: Mapping[str, Value] | None = None,
    as_of: dt.date | None = None,
) -> SqlPlan:
    """Compile ``policy`` to one :class:`SqlPlan` of sqlglot SELECTs (see the module).

    ``parameters`` and ``assumptions`` are checked values (as ``Policy.evaluate`` passes to
    the evaluator; a rate is a Decimal fraction, money a Money) over the policy's
    defaults, bound into the plan as literals; ``as_of`` is the day a deadline with no
    completion date is judged on.  The plan reads the entity tables (by ``key``),
    ``ledger`` and ``calendar_days`` (contract: ``policyrules.backends.sql``).

    :raises BatchCompileError: (E600-E619) a construct the SQL back end cannot compute
        exactly as ``policy.evaluate`` does, naming the provision and the construct.
    """
    checked, params, assume = _values(policy, parameters or {}, assumptions or {})
    documents = {d.name: d for d in checked.documents}
    provisions = [p for p in checked.provisions() if p.kind != "declaration"]
    awards = [p for p in provisions if p.kind == "award"]
    members: dict[str, set[str]] = {}
    for p in awards:
        for cap in p.caps:
            members.setdefault(cap.shared or p.id, set()).add(p.id)
    steps: list[Step] = []
    finals: list[exp.Select] = []
    grants: list[exp.Select] = []
    built: dict[str, AwardSteps] = {}
    if any(p.kind == "deadline" for p in provisions):
        steps.extend(calendar_steps())
    found = _refuse_all(checked, provisions, assume, params)
    upfront: dict[str, set[str]] = {}
    for x, d in found:
        upfront.setdefault(x.id, set()).add(d.code)
    refused = set(upfront)
    bound = checked.exclusivity.bound() & {p.id for p in awards}
    # 以此为准: an award a later document supersedes, as of the batch's as_of (.exclusive)
    fixed = {p.id: v for p in awards if (v := superseded_verdict(checked, p, as_of)) is not None}
    first: dict[str, AwardSteps] = {}
    windows: list[str] = []
    if bound:  # 不重复支持: each claim decided on its own first (.exclusive_verdicts)
        linked = [g for g in pool_components(awards) if any(p.id in bound for p in g)]
        ids = {p.id for g in linked for p in g}
        for i, p in enumerate(provisions):
            if p.id in ids and p.id not in refused:
                with _collected(found, p):
                    ec = ExprCompiler(
                        checked, p.subject, documents.get(p.document), params, assume, p.id
                    )
                    tried = _award(checked, p, members, found, (f"x{i}", ec), fixed=fixed.get(p.id))
                    if tried is not None:
                        first[p.id] = tried[0]
                        steps.extend(tried[1])
        refused |= {p.id for p, _ in found}  # each refusal named once
        if not found:  # else refused below, with the refusals of the other provisions
            windows += _windows("x", linked, first, steps)
            for aw in first.values():
                steps.extend(aw.last_steps()[0])
            passed = [
                FirstPass(pid, f"{aw.name}_f", aw.special, aw.chain) for pid, aw in first.items()
            ]
            steps.extend(verdict_steps(checked, [fp for fp in passed if fp.pid in bound]))
    for i, p in enumerate(provisions):
        if p.id in refused and p.id not in upfront:
            continue  # refused in the groups' first pass, every refusal of it named there
        with _collected(found, p):
            if p.subject is None:
                raise refuse(
                    "E606", f"{p.id}: a provision with no `for` subject has no rows in SQL"
                )
            where = f"{p.id}"
            ec = ExprCompiler(checked, p.subject, documents.get(p.document), params, assume, where)
            name = f"p{i}"
            if p.kind == "award" and p.id in upfront:  # its other refusals, steps dropped
                _award(checked, p, members, found, (name, ec), upfront=upfront[p.id])
            elif p.kind == "award":
                tried = _award(
                    checked,
                    p,
                    members,
                    found,
                    (name, ec),
                    verdicts=p.id in bound,
                    fixed=fixed.get(p.id),
                    as_of=as_of,
                )
                if tried is not None:
                    built[p.id] = tried[0]
                    steps.extend(tried[1])
            else:
                more, final = _not_award(checked, p, name, ec, as_of)
                if p.id not in upfront:  # else refused by its supersession (E618)
                    steps.extend(more)
                    finals.append(final)
    _raise_refused(found)
    windows += _windows("", pool_components(awards), built, steps)
    for p in awards:
        more, final, grant = built[p.id].last_steps()
        steps.extend(more)
        finals.append(final)
        grants.append(grant)
    steps.append(("decisions", _union(finals) if finals else _no_decisions()))
    steps.append(("grants", _union(grants) if grants else no_grants(checked)))
    inputs = (*(e.key for e in checked.entities), "ledger", "calendar_days")
    # An award's rooms are read by its pool's window (a few columns of the claims in it)
    # and by its amounts: computing them twice costs less than storing every column.
    # A window's claims and its split into partitions with and without an uncertain claim
    # are read twice each, and planned once (DuckDB shares a repeated subplan).
    # The scopes and years of the claims of unknown year (.ghosts) read the rows' ids and
    # years again from the input tables (``_y``, two columns: cheaper than a third reader
    # of the rows with the ledger, which DuckDB stores whole).
    passes = [*first.values(), *built.values()]
    recompute = frozenset(f"{aw.name}_{s}" for aw in passes for s in "bcy") | {
        f"{w}_{part}" for w in windows for part in ("w0", "v")
    }
    # The rows with the ledger of a window carrying its award's rows (.pools) are read by
    # the window and by the rows outside it: left to itself DuckDB stores the step before
    # (``_b``) and computes the status, rooms and certainty again for each reader (and a
    # third time for the filters it pushes into it).
    materialize = frozenset(f"{aw.name}_c" for aw in passes if aw.window_wide)
    # Such a window's rows (a join of those rows) are read by the window and by the search
    # for its partitions with an uncertain claim and their rows (.uncertain): computed by
    # each reader (most of them none) rather than stored whole for the three.
    inline = frozenset(f"{aw.window_name}_w0" for aw in passes if aw.window_wide and aw.window_name)
    checks = tuple(
        (pid, q) for pid, aw in built.items() if (q := year_check(aw)) is not None
    )  # E349 (.year_checks)
    return SqlPlan(
        tuple(steps),
        inputs,
        recompute=recompute,
        materialize=materialize,
        inline=inline,
        checks=checks,
    )


def _award(
    checked: CheckedPolicy,
    p: ProvisionInfo,
    members: dict[str, set[str]],
    found: list[tuple[ProvisionInfo, Diagnostic]],
    named: tuple[str, ExprCompiler],
    *,
    upfront: set[str] | None = None,
    **kw: Any,
) -> tuple[AwardSteps, list[Step]] | None:
    """The steps of award ``p`` (called ``named[0]``), or ``None`` with every refusal of
    them added to ``found``: its caps' (E604, E605, E619, all at once), then those of its
    other steps, built without the ``once per`` and the shared caps refused, as far as they
    can be tried independently.  ``upfront``: the codes of its refusals before any step
    (:func:`_refuse_all`); the statements they name are left out of its steps (a limit,
    E650; its exclusive groups, E618), and an award paid over time (E617) is not tried
    further than its caps (its amounts and caps may read the year of each payment)."""
    name, ec = named
    before = len(found)
    with _collected(found, p):
        award_caps(checked, p, members)
    upfront = upfront or set()
    if "E617" in upfront:
        return None
    q = p
    if len(found) > before or upfront:  # refused: the rest built without what was
        subject = chain_of(checked, p.subject)[-1].name
        q = attrs.evolve(
            p,
            once=tuple(o for o in p.once if o.entity == subject),
            limit=None if "E650" in upfront else p.limit,
        )
    caps = list(cap_plans(checked, p, members))
    shared = [c.index for c in caps if c.shared]
    for k in shared[1:]:  # E604: the first shared cap kept for the window
        caps[k] = attrs.evolve(caps[k], shared=False)
    with _collected(found, p):
        aw = AwardSteps(checked, q, name, ec, tuple(caps), **kw)
        first = aw.first_steps()
        if len(found) == before:
            return aw, first
    return None


def _not_award(
    checked: CheckedPolicy, p: ProvisionInfo, name: str, ec: ExprCompiler, as_of: dt.date | None
) -> tuple[list[Step], exp.Select]:
    """The steps and the decisions of a target, a deadline or an entitlement."""
    if p.kind == "target":
        assert p.require is not None
        rows = rows_step(name, checked, p, ec, {"q": p.require.condition})
        return [(name, rows.select)], _target(p, name, rows.lists)
    if p.kind == "deadline":
        assert p.due is not None
        values: dict[str, s.Expr] = {"dp": p.due.period, "ds": p.due.start}
        if p.done is not None:
            values["dd"] = p.done.date
        rows = rows_step(name, checked, p, ec, values)
        more, final = deadline_select(p, name, as_of, rows.lists)
        return [(name, rows.select), *more], final
    rows = rows_step(name, checked, p, ec, {})
    return [(name, rows.select)], _entitlement(p, name, rows.lists)


def _windows(
    prefix: str,
    groups: list[list[ProvisionInfo]],
    built: Mapping[str, AwardSteps],
    steps: list[Step],
) -> list[str]:
    """One window per shared pool of each group of awards linked by pools (named
    ``<prefix>w<group>_<pool>``), its steps added to ``steps``; their names."""
    windows: list[str] = []
    for n, group in enumerate(groups):
        pools = {c.pool for p in group for c in built[p.id].caps if c.shared}
        for k, pool in enumerate(sorted(pools)):
            claims = [
                built[p.id]
                for p in group
                if any(c.shared and c.pool == pool for c in built[p.id].caps)
            ]
            steps.extend(pool_window(f"{prefix}w{n}_{k}", claims, pool))
            windows.append(f"{prefix}w{n}_{k}")
    return windows


def _union(parts: list[exp.Select]) -> exp.Expr:
    out: exp.Expr = parts[0]
    for q in parts[1:]:
        out = exp.Union(this=out, expression=q, distinct=False)
    return out


def _no_decisions() -> exp.Select:
    types = {
        "amount": "BIGINT",
        "amount_min": "BIGINT",
        "binding_caps": "ARRAY<VARCHAR>",
        "missing_facts": "ARRAY<VARCHAR>",
    }
    types |= {"missing_parameters": "ARRAY<VARCHAR>", "assumptions": "ARRAY<VARCHAR>"}
    cols: list[Any] = [
        _alias(_cast(exp.Null(), types.get(c, VARCHAR)), c, quoted=True) for c in DECISION_COLUMNS
    ]
    return exp.select(*cols).where(exp.Boolean(this=False), copy=False)


def _status(mapping: list[tuple[str, str]]) -> exp.Expr:
    return case(
        [
            (exp.EQ(this=_col("st0"), expression=status_code(a)), exp.Literal.string(b))
            for a, b in mapping
        ],
        exp.Literal.string("eligible"),
    )


_CONDITIONS = [("no", "not_eligible"), ("undecided", "unknown"), ("unknown", "unknown")]


def _entitlement(p: ProvisionInfo, name: str, lists: Mapping[str, Pairs]) -> exp.Select:
    unknown = exp.EQ(this=_col("st0"), expression=status_code("unknown"))
    fields = {
        "status": _status(_CONDITIONS),
        "missing_facts": case([(unknown, _col("c_mf"))], _empty()),
        "missing_parameters": case([(unknown.copy(), _col("c_mp"))], _empty()),
        "assumptions": _col("c_as"),
    }
    return exp.select(*decision_row(p, fields, lists)).from_(table(name), copy=False)


def _target(p: ProvisionInfo, name: str, lists: Mapping[str, Pairs]) -> exp.Select:
    ok = exp.EQ(this=_col("st0"), expression=status_code("ok"))
    unknown = exp.EQ(this=_col("st0"), expression=status_code("unknown"))
    q_unknown = exp.and_(
        ok.copy(), negate(_col("q_un")), exp.Is(this=_col("q"), expression=exp.Null())
    )
    status = case(
        [
            (negate(ok.copy()), _status(_CONDITIONS)),
            (_col("q_un"), exp.Literal.string("unknown")),
            (exp.Is(this=_col("q"), expression=exp.Null()), exp.Literal.string("unknown")),
            (_col("q"), exp.Literal.string("met")),
        ],
        exp.Literal.string("not_met"),
    )
    fields = {
        "status": status,
        "missing_facts": case([(unknown, _col("c_mf")), (q_unknown, _col("q_mf"))], _empty()),
        "missing_parameters": case(
            [(unknown.copy(), _col("c_mp")), (q_unknown.copy(), _col("q_mp"))], _empty()
        ),
        "assumptions": sorted_list(_col("c_as"), case([(ok.copy(), _col("q_as"))], _empty())),
    }
    return exp.select(*decision_row(p, fields, lists)).from_(table(name), copy=False)


def _refuse_all(
    checked: CheckedPolicy,
    provisions: list[ProvisionInfo],
    assume: dict[str, Value],
    params: dict[str, Value],
) -> list[tuple[ProvisionInfo, Diagnostic]]:
    """Every refusal of a construct the batch does not compile yet (tier readings E612,
    payments over time E617, exclusivity and supersession E618, a limit per owner in a
    shape not compiled E650), each with its provision: the provisions refused here are not
    compiled further, the others are (their refusals joined to these by
    :func:`_raise_refused`)."""
    found: list[tuple[ProvisionInfo, Diagnostic]] = []
    for p in provisions:
        refusals: tuple[Callable[[], None], ...] = (
            partial(refuse_tiers, p, assume),
            partial(refuse_years, checked, p),
            partial(refuse_exclusive, checked, p),
            partial(refuse_limit, checked, p, params),
        )
        for refusal in refusals:
            with _collected(found, p):
                refusal()
    return found


@contextlib.contextmanager
def _collected(found: list[tuple[ProvisionInfo, Diagnostic]], p: ProvisionInfo) -> Iterator[None]:
    """Compile a part of provision ``p``: a refusal is added to ``found``, not raised."""
    try:
        yield
    except BatchCompileError as err:
        found += [(p, d) for d in err.diagnostics]


def _raise_refused(found: list[tuple[ProvisionInfo, Diagnostic]]) -> None:
    """Every refusal of the policy at once, so an author learns in one run every construct
    to change (or every measure to evaluate one firm at a time), sorted by file and line:
    one placed nowhere (an expression's E602...) is placed at its provision.

    :raises BatchCompileError: with one diagnostic per refused construct."""
    if not found:
        return
    placed = [d if d.span is not None else attrs.evolve(d, span=p.node.span) for p, d in found]

    def where(d: Diagnostic) -> tuple[str, int, int]:
        return (d.span.file, d.span.line, d.span.col) if d.span is not None else ("", 0, 0)

    raise BatchCompileError(sorted(dict.fromkeys(placed), key=where))
