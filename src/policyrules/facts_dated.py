"""A date fact later than ``as_of`` is refused (E353): the facts are read as of that day.

``as_of`` is the day the result speaks for.  A date the facts give after it is not yet a
fact on that day: almost always a mistyped date (``2026-12-20`` for ``2025-12-20``) or a
result asked for the wrong day.  Judged as given, it would say, and nothing would say why,
that a deadline was met or missed by a completion still to come, that a period has begun
(and is not yet due) from a submission still to come, that an award is earned by an
approval still to come.  So every date fact is compared, whatever reads it: a policy
declares a date fact only as some decision's completion, start, event or claim date, and
none of them is a fact on a day before it.  A fact not given, or stated none, has no date;
a list of dates is compared by its latest.  Without ``as_of`` nothing is compared: no
result speaks for a day, and each date is taken as given.  The batch (and ``diff`` of a
registry) then counts the dates after the machine's date (:class:`AfterToday`), only to
say so: a date still to come, paid as given, is said, not refused.

The one-by-one path finds them in the facts (:func:`later_in_facts`); the batch, on DuckDB
and on Spark, by one query over the registry's tables
(:func:`policyrules.backends.sql.dated.later_dates`, read by :func:`later_in_rows`); both
refuse with :func:`refuse_later`, the findings in the same order, the first
:data:`SHOWN` said and the others counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from .backends.sql.dated import date_facts
from .errors import Diagnostic, FactsError
from .instances import Facts, Instance
from .model import CheckedPolicy

__all__ = [
    "SHOWN",
    "AfterToday",
    "LaterDate",
    "after_in_rows",
    "later_in_facts",
    "later_in_rows",
    "machine_today",
    "refuse_later",
]

#: The most dates after ``as_of`` an error says one by one (the others are counted).
SHOWN = 5


@attrs.frozen(order=True)
class LaterDate:
    """A date fact after ``as_of``: its entity's place among the policy's, the subject's
    path of ids (``d/C2``), the fact's place among its entity's facts and the date (of a
    list, the latest).  ``where``: its place in the input, as the error names it."""

    entity: int
    subject: str
    fact: int
    day: dt.date
    where: str = attrs.field(default="", eq=False, order=False)


def machine_today() -> dt.date:
    """The machine's date: "today" to a run without ``as_of``, for its warning only (read
    through this name, so that a test can set the day)."""
    return dt.date.today()


@attrs.frozen
class AfterToday:
    """Without ``as_of``: ``dates``, how many date facts of the input lie after ``today``
    (the machine's date), each taken as given; ``first`` the first of them, said as E353
    says one (``product f1/P1's approved_on 2027-03-01``; ``None``: none, JSON ``null``).

    >>> AfterToday(dt.date(2026, 12, 5), 1, "product f1/P1's approved_on 2027-03-01").text()
    "warning: 1 date fact lies after today (2026-12-05, this machine's date), taken as given \
(product f1/P1's approved_on 2027-03-01): --as-of YYYY-MM-DD would judge the dates as of \
that day (one after it refused, E353)"
    """

    today: dt.date
    dates: int
    first: str | None = None

    def text(self) -> str:
        """The summary's line (none when no date lies after today)."""
        if not self.dates:
            return ""
        n = f"{self.dates} date fact lies" if self.dates == 1 else f"{self.dates} date facts lie"
        first = f" ({self.first}{', ...' if self.dates > 1 else ''})" if self.first else ""
        return (
            f"warning: {n} after today ({self.today}, this machine's date), taken as given"
            f"{first}: --as-of YYYY-MM-DD would judge the dates as of that day (one after it "
            "refused, E353)"
        )

    def text_zh(self) -> str:
        """The same in Chinese (``diff``'s text)."""
        if not self.dates:
            return ""
        day = f"{self.today.year}年{self.today.month}月{self.today.day}日"
        first = f"；如 {self.first}" if self.first else ""
        return (
            f"注意：有 {self.dates} 个日期晚于今天（本机日期 {day}{first}），已按所给日期计算；"
            "指定 --as-of YYYY-MM-DD 则按该日判断（晚于该日的日期不予采用，E353）"
        )

    def to_json(self) -> dict[str, object]:
        """``{"today": "2026-12-05", "dates": 1, "first": "..."}`` (``"first": null`` when
        no date lies after today)."""
        return {"today": self.today.isoformat(), "dates": self.dates, "first": self.first}


def later_in_facts(policy: CheckedPolicy, facts: Facts, as_of: dt.date) -> list[LaterDate]:
    """The date facts of ``facts`` later than ``as_of``, in the batch's order."""
    found = []
    for k, ent, dated in date_facts(policy):
        for inst in facts.instances.get(ent.name, ()):
            for j, f in dated:
                day = _latest(inst.values.get(f.name))
                if day is not None and day > as_of:
                    where = f"{inst.path}.{f.name}"
                    found.append(LaterDate(k, _subject(inst), j, day, where))
    return sorted(found)


def later_in_rows(
    policy: CheckedPolicy, rows: Iterable[Sequence[object]], shown: Mapping[str, str]
) -> tuple[list[LaterDate], int]:
    """The batch's findings: the rows of :func:`~policyrules.backends.sql.dated.later_dates`
    (``k``, ``subject``, ``f``, ``day``, ``n``), each placed at its table (``shown``, by the
    entity's key: the table's file); and how many there are in all."""
    found, total = [], 0
    for k, subject, f, day, n in rows:
        ent = policy.entities[int(str(k))]
        assert isinstance(day, dt.date)
        where = shown.get(ent.key, ent.key)
        found.append(LaterDate(int(str(k)), str(subject), int(str(f)), day, where))
        total = int(str(n))
    return found, total


def after_in_rows(
    policy: CheckedPolicy, rows: Sequence[Sequence[object]], today: dt.date
) -> AfterToday:
    """The summary's count from the rows of
    :func:`~policyrules.backends.sql.dated.later_dates` run with ``today`` for ``as_of``
    and a limit of 1 (on DuckDB or Spark): none, or the first and how many in all."""
    if not rows:
        return AfterToday(today, 0)
    k, subject, f, day, n = rows[0]
    ent = policy.entities[int(str(k))]
    return AfterToday(
        today, int(str(n)), f"{ent.name} {subject}'s {ent.facts[int(str(f))].name} {day}"
    )


def refuse_later(
    policy: CheckedPolicy, found: Sequence[LaterDate], as_of: dt.date, total: int | None = None
) -> None:
    """Refuse ``found`` (in order; ``total``: how many there are, if more than given).

    :raises FactsError: E353, one per date up to :data:`SHOWN`, then one counting the rest;
        nothing when ``found`` is empty."""
    if not found:
        return
    total = len(found) if total is None else total
    diags = []
    for d in found[:SHOWN]:
        ent = policy.entities[d.entity]
        fact = ent.facts[d.fact]
        title = f" ({fact.title})" if fact.title else ""
        latest = "the latest of " if fact.type.kind != "date" else ""
        diags.append(
            Diagnostic(
                "E353",
                f"{d.where}: {latest}{ent.name} {d.subject}'s {fact.name}{title} is {d.day}, "
                f"after as_of {as_of} (the day the result speaks for), when it is not yet a "
                "fact: nothing was evaluated",
                hint=_HINT,
            )
        )
    if total > SHOWN:
        diags.append(
            Diagnostic(
                "E353",
                f"and {total - SHOWN} more date(s) after as_of {as_of} ({total} in all)",
                hint=_HINT,
            )
        )
    raise FactsError(diags)


_HINT = (
    "if the date is mistyped, correct it; if the result is meant for a later day, give that "
    "day as --as-of (as_of in the facts, the API or the service), or leave as_of out: then "
    "no result speaks for a day, and each date is taken as given"
)


def _latest(value: object) -> dt.date | None:
    """The date of a fact's value: itself, or the latest of a list or set of dates."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, tuple | list | frozenset | set):
        days = [v for v in value if isinstance(v, dt.date)]
        return max(days) if days else None
    return None


def _subject(inst: Instance) -> str:
    """The path of ids from the outermost owner to ``inst``, as decisions name it."""
    ids = []
    at: Instance | None = inst
    while at is not None:
        ids.append(at.id)
        at = at.parent
    return "/".join(reversed(ids))
