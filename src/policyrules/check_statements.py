"""The checks of one provision statement: its types, the entities it names, what it reads.

:class:`policyrules.check_clauses.ClauseChecks` checks a provision's shape (which statements
its kind takes, which stand once) and hands each statement here; the statements with checks
of their own (amount ranges, caps' exceptions, limits, quotas, schedules) go on to theirs.
"""

from __future__ import annotations

from collections.abc import Callable

from . import syntax as s
from . import types as t
from .check_amounts import amount_statement
from .check_exceptions import check_cap_exceptions
from .check_instalments import schedule_statement
from .check_limits import check_limit
from .check_tables import check_quota
from .errors import Span, did_you_mean
from .model import CheckedPolicy
from .typing_rules import ExprTyper, Usage

__all__ = ["check_statement"]

Report = Callable[[str, str, Span | None, str | None], None]

# 单个企业每年奖励人数不超过5人: a count, which a money cap (5 × an award) does not equal
# once awards differ or are paid in instalments.
_COUNT_CAP_HINT = (
    "money needs its unit: `200 万元`; if the text limits how many (不超过5人), that is not a "
    "money cap: write `limit N per firm [per year of D]` (at most N subjects paid per firm)"
)


def check_statement(
    typer: ExprTyper,
    usage: Usage,
    base: CheckedPolicy,
    subject: str | None,
    st: s.Stmt,
    report: Report,
) -> None:
    """The diagnostics of one provision statement's types and names, its facts,
    parameters and assumptions added to ``usage``."""
    chain = [e.name for e in base.chain(subject)]

    def in_chain(name: str, span: Span | None) -> None:
        if name not in chain:
            report(
                "E207",
                f"'{name}' is not the subject or one of its owners",
                span,
                f"use one of: {', '.join(chain)}" if chain else "add `for each ...`",
            )

    match st:
        case s.Eligible(condition=c):
            typer.expect(c, t.BOOL, usage, "a condition")
        case s.Require(condition=c):
            typer.expect(c, t.BOOL, usage, "a target")
        case s.Amount(expr=e):
            typer.expect(e, t.MONEY, usage, "an amount")
        case s.AmountRange() | s.AmountMinimum() | s.Rounding():
            amount_statement(typer, usage, base, subject, st, report)
        case s.AmountDecided(fact=f):
            r = base.resolve((f,), subject)
            if subject is None:
                pass  # reported already: no `for each`, or an unknown entity
            elif r is None or r.kind != "fact" or r.type != t.MONEY:
                report(
                    "E221",
                    f"'{f}' is not a money fact of {subject or 'the subject'}",
                    st.span,
                    did_you_mean(f, _money_facts(base, subject, f))
                    or 'declare it: `fact NAME: money "..."`',
                )
            elif not typer.decided_not_none(
                f,
                r.type,
                "a decided amount is money",
                st.span,
                "a decision of 0 元 is written as 0",
            ):
                usage.facts.add(f)
        case s.Cap(limit=lim, per=per, year_of=y):
            check_cap_exceptions(typer, usage, st, base, subject, report)
            got = typer.value_of(lim, usage, "a cap")
            if got.kind == "rate":
                report(
                    "E206",
                    "a cap in % where money is due",
                    lim.span,
                    "a rate caps nothing alone: write `cap 50% of BASE`",
                )
            elif got not in (t.MONEY, t.ANY):
                report(
                    "E206",
                    f"a cap must be money, not {got.describe()}",
                    lim.span,
                    "a cap is in 元: `convert(x, RATE)` an amount in another currency"
                    if got.kind == "money"
                    else _COUNT_CAP_HINT,
                )
            for e in per:
                in_chain(e, st.span)
            year_type = (
                typer.value_of(y, usage, "the date that picks the year") if y is not None else t.ANY
            )
            if y is not None and year_type not in (t.DATE, t.YEAR, t.ANY):
                report(
                    "E205",
                    "the date that picks the year must be date (or year), "
                    f"not {year_type.describe()}",
                    y.span,
                    None,
                )
            if y is not None and not per:
                report(
                    "E207",
                    "`per year` needs an owner: `per firm per year of D`",
                    st.span,
                    None,
                )
        case s.Schedule():
            schedule_statement(typer, usage, st, report)
        case s.Once(entity=e):
            in_chain(e, st.span)
        case s.OrderBy(keys=keys):
            for k in keys:
                got = typer.value_of(k, usage, "`order by`")
                if got.kind not in ("date", "number", "money", "text", "rate", "year", "any"):
                    report("E204", f"cannot order by {got.describe()}", k.span, None)
        case s.Due(period=d, start=start):
            got = typer.value_of(d, usage, "a period")
            if got.kind not in ("duration", "any"):
                report(
                    "E204",
                    f"a period must be a duration, not {got.describe()}",
                    d.span,
                    "write e.g. `30 工作日`, `20 周`, `1 月`",
                )
            typer.expect(start, t.DATE, usage, "the start of a period")
        case s.Done(date=d):
            # none: not done (as a date not yet stated: pending, or overdue past as_of)
            typer.expect(d, t.DATE, usage, "a completion date", none_ok=True)
        case s.Quota():
            check_quota(typer, st, report)
            r = base.resolve((st.rank,), subject)
            if r is not None and r.kind == "fact":
                usage.facts.add(r.name)
        case s.Tiers(assumption=a):
            usage.assumptions.add(a)
        case s.Limit():
            check_limit(typer, usage, base, subject, st, report)


def _money_facts(base: CheckedPolicy, subject: str, besides: str) -> list[str]:
    """The money facts ``subject`` can read, other than ``besides``."""
    return [
        n
        for n in base.names_in_scope(subject)
        if n != besides
        and (r := base.resolve((n,), subject)) is not None
        and r.kind == "fact"
        and r.type == t.MONEY
    ]
