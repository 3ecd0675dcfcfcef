"""The years in which a provision can have paid: a grant's ``year`` outside them is refused.

A ledger grant's ``year`` is the year a yearly cap counts it in.  Read as it is written, a
year a spreadsheet shortened (``26`` for 2026) counts in the year 26: the firm-year cap of
2026 never sees it and the firm is paid over the cap, silently.  So a grant's year is
checked against the years in which its provision could have paid it (E352), where the text
bounds them:

* a grant of an award with a yearly cap (``cap … per firm per year of approved_on``)
  counts in the year of the cap's date; when that date is one the award requires ``in
  force`` (``eligible when approved_on in force``), it lies where ``in force`` accepts it:
  from the document's validity start (``valid from``, or the value of its ``events from``
  assumption, as :func:`policyrules.exprs._in_force` reads it) to its end (``to``);
* an award paid over time (``paid over N years from D`` / ``paid yearly for N years from
  D``) pays in the years of ``D`` to ``D`` + N − 1: with ``D`` required ``in force``, from
  the validity start's year to the end's year + N − 1;
* an ``if`` on an assumption (``if annual_cap_year = approval then approved_on else
  launch_reward_decided_on``) reads the branch of the ledger's reading (its ``bases:``, else
  the default); a date the award does not require in force (a decision's, an exhibition's)
  and a ``year`` fact (a figure's year, 研发投入年度) are bounded by nothing in the text, and
  neither is a grant of an award with no yearly cap and not paid over time (its year counts
  in no cap): no bound is made up for them;
* a document with no ``valid from`` bounds nothing (``in force`` holds for any date); one
  with no end (``to``) bounds only from below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

import attrs

from . import syntax as s
from .model import AssumptionInfo, CheckedPolicy, DocumentInfo, ProvisionInfo
from .runtime.bases import Basis
from .runtime.grants import Grant

__all__ = ["YearSpan", "span_error", "stated_bases", "year_spans"]

# The value a ledger's reading gives an assumption for the provision, if it names one.
_Said = Callable[[str], str | None]


@attrs.frozen
class YearSpan:
    """The years ``low``..``high`` (``None``: open) in which a provision pays, and why."""

    low: int | None
    high: int | None
    why: str

    def holds(self, year: int) -> bool:
        return (self.low is None or year >= self.low) and (self.high is None or year <= self.high)

    @property
    def shown(self) -> str:
        if self.high is None:
            return f"{self.low} or later"
        return f"{self.low}..{self.high}" if self.low is not None else f"{self.high} or earlier"


def year_spans(policy: CheckedPolicy, bases: Iterable[Basis] = ()) -> dict[str, YearSpan]:
    """provision id -> the years its grants can count in, for each award the text bounds
    (see the module); ``bases`` the readings the grants were counted by (the defaults
    for an assumption they do not name)."""
    said: dict[tuple[str, str], str] = {(p, n): v for p, n, v in bases}
    out = {}
    for p in policy.provisions():
        doc = policy.document(p.document) if p.kind == "award" else None
        if doc is None or doc.valid_from is None:
            continue
        span = _span(policy, p, doc, _reading(said, p.id))
        if span is not None:
            out[p.id] = span
    return out


def stated_bases(policy: CheckedPolicy, stated: Mapping[str, object]) -> tuple[Basis, ...]:
    """The readings a facts file's ``assumptions:`` (``stated``, as written) give each
    provision reading them: those its own ``ledger:`` was counted by."""
    return tuple(
        (p.id, n, str(stated[n])) for p in policy.provisions() for n in p.assumptions if n in stated
    )


def _reading(said: dict[tuple[str, str], str], pid: str) -> _Said:
    return lambda name: said.get((pid, name))


def _span(
    policy: CheckedPolicy, p: ProvisionInfo, doc: DocumentInfo, said: _Said
) -> YearSpan | None:
    schedule = p.schedule
    if schedule is not None:
        dates, more = [schedule.start], schedule.years - 1
    else:
        yearly = [y for c in p.caps if c.per and (y := c.year_of) is not None]
        if not yearly:
            return None  # its grants count in no year's account
        dates, more = _branches(policy, yearly[-1], said), 0  # the last: its year
    tested = _in_force(p)
    names = [d.parts[0] for d in dates if isinstance(d, s.Name) and len(d.parts) == 1]
    if len(names) != len(dates) or not all(n in tested for n in names):
        return None  # a date the text does not bound
    start = doc.valid_from
    assert start is not None
    if doc.events_from is not None:
        start = _date(said(doc.events_from), policy.assumption(doc.events_from)) or start
    dated = " or ".join(dict.fromkeys(names))
    end = f" to {doc.valid_to}" if doc.valid_to is not None else ", with no end"
    frm = f"{start}" + (f" ({doc.events_from})" if doc.events_from else "")
    counts = (
        f"it pays in the years of {dated} to {more} after"
        if more
        else f"its grants count in the year of {dated}"
    )
    why = f"{counts}, which it requires in force: {doc.number or doc.name} from {frm}{end}"
    high = doc.valid_to.year + more if doc.valid_to is not None else None
    return YearSpan(start.year, high, why)


def _branches(policy: CheckedPolicy, e: s.Expr, said: _Said) -> list[s.Expr]:
    """The dates ``e`` can be: an ``if`` on an assumption (``annual_cap_year = approval``)
    opened to the branch the reading takes, another ``if`` to both."""
    if not isinstance(e, s.IfExpr):
        return [e]
    c = e.cond
    if isinstance(c, s.Compare) and c.op in ("=", "!="):
        names = [
            x.parts[0] for x in (c.left, c.right) if isinstance(x, s.Name) and len(x.parts) == 1
        ]
        assumption = next((n for n in names if policy.assumption(n) is not None), None)
        member = next((n for n in names if n != assumption), None)
        if assumption is not None and member is not None and len(names) == 2:
            info = policy.assumption(assumption)
            assert info is not None
            value = said(assumption) or _member(info.default)
            if value is not None:
                taken = (value == member) == (c.op == "=")
                return _branches(policy, e.then if taken else e.else_, said)
    return [*_branches(policy, e.then, said), *_branches(policy, e.else_, said)]


def _in_force(p: ProvisionInfo) -> set[str]:
    """The facts ``p`` requires in force: ``eligible when F in force`` (a line, or a
    conjunct of one: all of an award's lines must hold)."""
    out: set[str] = set()
    todo: list[s.Expr] = [e.condition for e in p.eligible]
    while todo:
        e = todo.pop()
        if isinstance(e, s.And):
            todo += [e.left, e.right]
        elif (
            isinstance(e, s.InForce) and isinstance(e.operand, s.Name) and len(e.operand.parts) == 1
        ):
            out.add(e.operand.parts[0])
    return out


def _member(e: s.Expr) -> str | None:
    return e.parts[-1] if isinstance(e, s.Name) else None


def _date(value: str | None, info: AssumptionInfo | None) -> dt.date | None:
    """The ``events from`` assumption's date: the reading's, else its default."""
    if value is not None:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    default = info.default if info is not None else None
    return default.value if isinstance(default, s.DateLit) else None


def span_error(grant: Grant, span: YearSpan) -> tuple[str, str]:
    """E352's message and hint for ``grant``, whose year ``span`` does not hold."""
    year = grant.year
    assert year is not None
    message = (
        f"the grant {grant.describe()} is outside the years its provision pays in, "
        f"{span.shown}: {span.why}"
    )
    guess = next((c + year for c in (2000, 1900) if year < 100 and span.holds(c + year)), None)
    hint = (
        f"a two-digit year? write {guess}"
        if guess is not None
        else f"write the year the grant counts in, {span.shown}"
    )
    return message, hint
