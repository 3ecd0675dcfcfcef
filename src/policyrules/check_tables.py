"""Checks of tier tables (首次突破…分别给予…), their readings, and quotas (择优支持不超过 N 个).

* E270 — a table's rows: a `from` row in a table keyed by an enum or a `when` row in one
  keyed by thresholds, a key or value of the wrong type, or one that is not a constant;
* E271 — thresholds not strictly ascending, an enum member given two rows, or no row;
* E272 — `T[x]` where no `x reaches T` guards it (in an `eligible when` line of the
  provision, or an `if x reaches T then ...` around it): below the first threshold there is
  no tier, so its value would be a guess;
* E273 — `tiers by NAME` where NAME is not an assumption of an enum with the two members
  `top_up` and `highest_only`;
* E274 — `highest_only` needs one `T[x]` in the amount (the tier paid is recorded with
  the grant), and `tiers by` needs a table in the amount at all;
* E275 — `quota N ranked by F`: N below 1, or F not a number fact of the subject or an owner;
* E276 — a table whose name is already a parameter's, assumption's or another table's;
* E282 — `quota N ranked by F` where F may be none (a rank is a number).

The readings are named in :data:`READINGS`; ``TierReading`` is what the guide calls the enum.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from . import syntax as s
from . import types as t
from .errors import Span, did_you_mean
from .exprs import constant, fold
from .model import CheckedPolicy, ProvisionInfo, TableInfo, TierRow
from .printer import print_expr
from .runtime.values import Undecided
from .typing_rules import ExprTyper, Usage

__all__ = [
    "READINGS",
    "check_quota",
    "check_tables",
    "check_tiers",
    "quota_of",
    "table_nodes",
    "table_uses",
    "tier_read",
    "tier_reading_of",
]

READINGS = ("top_up", "highest_only")
"""The two readings of a tier table: 晋档补差 (pay the difference from what was paid before)
and 只享受最高档 (each tier at most once; crossing several at once, the highest only)."""

Report = Callable[[str, str, Span | None, str | None], None]
_KEYS = ("money", "number", "rate", "date")
_VALUES = ("money", "number", "rate")


def table_nodes(modules: Sequence[s.Module]) -> Iterator[tuple[s.Table, str | None]]:
    """Every ``table`` of ``modules``, with the label of the clause it sits in (or None)."""
    for m in modules:
        for item in m.items:
            if isinstance(item, s.Table):
                yield item, None
            elif isinstance(item, s.Clause):
                yield from ((b, item.label) for b in item.body if isinstance(b, s.Table))


def check_tables(
    base: CheckedPolicy,
    nodes: Sequence[tuple[s.Table, str | None]],
    type_of: Callable[[s.TypeRef], t.Type],
    report: Report,
) -> tuple[TableInfo, ...]:
    """The tables of ``nodes`` with their rows computed; each mistake reported (E270, E271,
    E276).  ``type_of`` resolves a type reference as the checker does."""
    taken = {p.name: p.span for p in base.parameters} | {a.name: a.span for a in base.assumptions}
    out: list[TableInfo] = []
    for node, clause in nodes:
        if node.name in taken:
            report(
                "E276",
                f"table '{node.name}' has the name of another table, parameter or assumption",
                node.name_span or node.span,
                f"the other is at {taken[node.name]}",
            )
            continue
        taken[node.name] = node.span
        key, value = type_of(node.key), type_of(node.value)
        if key != t.ANY and key.kind not in (*_KEYS, "enum"):
            report(
                "E270",
                f"a table's keys are thresholds or enum members, not {key.describe()}",
                node.key.span,
                "write e.g. `table scale_tiers: money to money` or `table by_level: Level to rate`",
            )
            continue
        if value != t.ANY and value.kind not in _VALUES:
            report(
                "E270",
                f"a table gives amounts, rates or numbers, not {value.describe()}",
                node.value.span,
                None,
            )
            continue
        if t.ANY in (key, value):
            continue  # an unknown type, reported
        rows = _rows(base, node, key, value, report)
        if rows is not None:
            out.append(TableInfo(node.name, node.title, key, value, rows, clause, span=node.span))
    return tuple(out)


def _rows(
    base: CheckedPolicy, node: s.Table, key: t.Type, value: t.Type, report: Report
) -> tuple[TierRow, ...] | None:
    rows: list[TierRow] = []
    ok = True
    for row in node.rows:
        if row.member != (key.kind == "enum"):
            want = "when MEMBER give VALUE" if key.kind == "enum" else "from THRESHOLD give VALUE"
            report("E270", f"a table keyed by {key.describe()} has rows `{want}`", row.span, None)
            ok = False
            continue
        got = [_constant(base, e, w, report) for e, w in ((row.key, key), (row.value, value))]
        if got[0] is None or got[1] is None:
            ok = False
            continue
        rows.append(TierRow(got[0], got[1], print_expr(row.key), rate=value.kind == "rate"))
    if not ok:
        return None
    if not rows:
        report("E271", f"table '{node.name}' has no row", node.span, "add `from KEY give VALUE`")
        return None
    for i in range(1, len(rows) if key.kind != "enum" else 0):
        if not _below(rows[i - 1].key, rows[i].key):
            report(
                "E271",
                f"thresholds of '{node.name}' must rise: {rows[i].text} after {rows[i - 1].text}",
                node.rows[i].span,
                "write the rows from the lowest threshold to the highest",
            )
            return None
    if key.kind == "enum":
        seen: dict[object, str] = {}
        for tier, written in zip(rows, node.rows, strict=True):
            if tier.key in seen:
                report(
                    "E271",
                    f"member {tier.text} has two rows in '{node.name}'",
                    written.span,
                    "give each member one row",
                )
                return None
            seen[tier.key] = tier.text
    return tuple(rows)


def _below(a: object, b: object) -> bool:
    try:
        return bool(a < b)  # type: ignore[operator]
    except TypeError:  # pragma: no cover - rows are checked to have the key's type
        return False


def _constant(base: CheckedPolicy, e: s.Expr, want: t.Type, report: Report) -> object | None:
    """The value of the constant row part ``e`` of type ``want``; None after a report."""
    usage = Usage()
    reported: list[str] = []

    def counted(code: str, message: str, span: Span | None, hint: str | None) -> None:
        reported.append(code)
        report(code, message, span, hint)

    got = ExprTyper(base, None, None, counted).type_of(e, usage)
    if reported:
        return None
    if not t.comparable(got, want):
        report("E270", f"a row gives {got.describe()}, not {want.describe()}", e.span, None)
        return None
    if got == t.ANY:
        return None
    if not constant(e, base, None):
        report(
            "E270",
            f"a table row is a constant, not {print_expr(e)}",
            e.span,
            "a tier the text leaves open is a parameter: `parameter T: table K to V`",
        )
        return None
    try:
        value: object = fold(e, base, None)
    except Undecided as why:
        report("E270", f"the row cannot be computed: {why.reason}", e.span, None)
        return None
    return value


# ---- uses in provisions -------------------------------------------------------------------


def _walk(e: s.Node, guards: frozenset[tuple[str, str]], out: list[tuple[s.TableAt, bool]]) -> None:
    """Each ``T[x]`` under ``e``, and whether a ``x reaches T`` in ``guards`` or an
    enclosing ``if`` guards it."""
    if isinstance(e, s.TableAt):
        out.append((e, (e.table, print_expr(e.key)) in guards))
    if isinstance(e, s.IfExpr):
        _walk(e.cond, guards, out)
        _walk(e.then, guards | _reaches(e.cond), out)
        _walk(e.else_, guards, out)
        return
    for child in s.children(e):
        _walk(child, guards, out)


def _reaches(e: s.Node) -> frozenset[tuple[str, str]]:
    """The ``x reaches T`` that hold whenever ``e`` holds (it, or parts of an ``and``)."""
    if isinstance(e, s.Reaches):
        return frozenset({(e.table, print_expr(e.operand))})
    if isinstance(e, s.And):
        return _reaches(e.left) | _reaches(e.right)
    return frozenset()


def table_uses(p: s.Provision) -> list[tuple[s.TableAt, bool]]:
    """Each ``T[x]`` of provision ``p`` and whether it is guarded (see E272)."""
    guards = frozenset().union(
        *(_reaches(b.condition) for b in p.body if isinstance(b, s.Eligible))
    )
    out: list[tuple[s.TableAt, bool]] = []
    for b in p.body:
        if not isinstance(b, s.Eligible):
            _walk(b, guards, out)
    for b in p.body:
        if isinstance(b, s.Eligible):
            _walk(b.condition, guards, out)
    return out


def check_tiers(base: CheckedPolicy, p: s.Provision, report: Report) -> None:
    """E272 for each unguarded ``T[x]`` of ``p``; E273/E274 for its ``tiers by``."""
    uses = table_uses(p)
    for at, guarded in uses:
        if not guarded:
            key = print_expr(at.key)
            report(
                "E272",
                f"`{print_expr(at)}` has no tier below the first threshold",
                at.span,
                f"guard it: `eligible when {key} reaches {at.table}`, "
                f"or `if {key} reaches {at.table} then ... else ...`",
            )
    for st in (b for b in p.body if isinstance(b, s.Tiers)):
        a = base.assumption(st.assumption)
        info = base.enum(a.type.name or "") if a is not None and a.type.kind == "enum" else None
        if info is None or set(info.member_names) != set(READINGS):
            names = [x.name for x in base.assumptions]
            report(
                "E273",
                f"`tiers by {st.assumption}`: not an assumption of the two readings",
                st.name_span or st.span,
                did_you_mean(st.assumption, names)
                or 'declare `enum TierReading { top_up "晋档补差", highest_only "只享受最高档" }` '
                'and `assumption tier_reading: TierReading = top_up "why"`',
            )
            continue
        amount = [b for b in p.body if isinstance(b, s.Amount)]
        in_amount: list[tuple[s.TableAt, bool]] = []
        for b in amount:
            _walk(b, frozenset(), in_amount)
        if len(in_amount) != 1:
            report(
                "E274",
                f"`tiers by` reads the tier of one `T[x]` in the amount; this one has "
                f"{len(in_amount)}",
                st.span,
                "write the amount as `amount T[x]` (or `amount r of base` with r = T[x])",
            )


def check_quota(typer: ExprTyper, st: s.Quota, report: Report) -> None:
    """E275: a quota of at least 1, ranked by a number fact of the subject or an owner."""
    if st.count < 1:
        report("E275", f"a quota of {st.count}: at least one winner", st.span, None)
    r = typer.policy.resolve((st.rank,), typer.scope)
    if r is None or r.kind != "fact" or r.type.kind != "number":
        names = typer.policy.names_in_scope(typer.scope)
        report(
            "E275",
            f"`ranked by {st.rank}`: not a number fact of the subject or its owners",
            st.name_span or st.span,
            did_you_mean(st.rank, [n for n in names if n != st.rank])
            or 'declare the rank the agency decided: `fact rank_decided: count "评审排名"`',
        )
    else:
        typer.decided_not_none(
            st.rank,
            r.type,
            "a quota ranks by a number",
            st.name_span or st.span,
            "a subject not yet ranked is left without the fact",
        )


# ---- what later stages read of a provision ------------------------------------------------


def tier_reading_of(p: ProvisionInfo) -> s.Tiers | None:
    """The ``tiers by`` statement of ``p``, if it has one."""
    return p.tiers


def quota_of(p: ProvisionInfo) -> s.Quota | None:
    """The ``quota`` statement of ``p``, if it has one."""
    return p.quota


def tier_read(p: ProvisionInfo) -> s.TableAt | None:
    """The one ``T[x]`` of ``p``'s amount that ``tiers by`` reads (E274 makes it one)."""
    if p.amount is None:
        return None
    found: list[tuple[s.TableAt, bool]] = []
    _walk(p.amount.expr, frozenset(), found)
    return found[0][0] if len(found) == 1 else None
