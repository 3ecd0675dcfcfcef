"""What a batch's money comes to, and what it leaves open: one source for DuckDB and Spark.

The total of the exact amounts alone reads as the cost of a policy, and is not: an
``up_to`` decision says at most (an unset rate, a shared cap that earlier open claims may
take), an eligible award may have no amount at all, an award of unknown eligibility may
still be paid, and an unset parameter (一定比例, 一定支持) leaves every amount it reads
open.  :func:`totals_queries` gives the two queries (one for the amounts per provision,
one for the unset parameters) in the dialect of the engine, over the batch's
``decisions`` (:data:`~policyrules.batch_columns.DECISION_COLUMNS`);
:func:`totals_of` folds their rows into :class:`AmountTotals`, per provision and over all,
money in fen (never a float).  A ``range`` decision's ``amount_fen`` is its upper end: it
counts with the ``up_to`` bounds.  Without ``as_of`` an award paid over time is a forecast,
granted nothing (:func:`undated_provisions`): its exact amounts are counted apart, and the
summary says what to do.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

import attrs

from .model import CheckedPolicy
from .runtime.money import Money
from .runtime.values import format_value

__all__ = [
    "NO_TOTALS",
    "AmountTotals",
    "MeasureTotals",
    "totals_of",
    "totals_queries",
    "undated_provisions",
]

_BOUNDED = "('up_to', 'range')"

# Per award provision: its words, then the exact amounts (sum, count), the bounds (sum,
# count), eligible with no amount, eligibility unknown, eligible with an exact amount above
# 0 元 (granted, or a forecast).  Every engine reads this text.
_AMOUNTS = f"""
SELECT provision, max(document_number), max(clause), max(title),
  sum(CASE WHEN amount_kind = 'exact' THEN CAST(amount_fen AS BIGINT) ELSE 0 END),
  sum(CASE WHEN amount_kind = 'exact' THEN 1 ELSE 0 END),
  sum(CASE WHEN amount_kind IN {_BOUNDED} THEN CAST(amount_fen AS BIGINT) ELSE 0 END),
  sum(CASE WHEN amount_kind IN {_BOUNDED} THEN 1 ELSE 0 END),
  sum(CASE WHEN status = 'eligible' AND (amount_fen IS NULL OR amount_kind IS NULL
                                         OR amount_kind = 'unknown') THEN 1 ELSE 0 END),
  sum(CASE WHEN status = 'unknown' THEN 1 ELSE 0 END),
  sum(CASE WHEN status = 'eligible' AND amount_kind = 'exact' AND amount_fen > 0
           THEN 1 ELSE 0 END)
FROM {{decisions}} WHERE kind = 'award' GROUP BY provision
"""

# The unset parameters, and how many decisions each leaves open.
_UNSET = """
SELECT parameter, count(*) FROM (
  SELECT {explode}(missing_parameters) AS parameter FROM {decisions}
) AS named WHERE parameter IS NOT NULL GROUP BY parameter
"""


def undated_provisions(policy: CheckedPolicy, as_of: object) -> frozenset[str]:
    """Without ``as_of`` (``None``), the awards paid over time (``paid over``, ``paid
    yearly``): each decision of theirs is a forecast, granted nothing (E427 refuses to
    record it one by one); with ``as_of``, none."""
    if as_of is not None:
        return frozenset()
    return frozenset(p.id for p in policy.provisions() if p.schedule is not None)


def totals_queries(decisions: str, dialect: str = "duckdb") -> tuple[str, str]:
    """The amounts' and the unset parameters' queries over ``decisions`` (a table, view
    or file read, quoted as ``dialect`` needs: ``duckdb`` or ``spark``)."""
    explode = "explode" if dialect == "spark" else "unnest"
    return (
        _AMOUNTS.format(decisions=decisions),
        _UNSET.format(decisions=decisions, explode=explode),
    )


def _zh_label(number: str | None, clause: str | None, title: str | None, provision: str) -> str:
    """``京经信发〔2025〕50号 第13条 境外上市注册申请成本支持`` (the provision's id without a
    document number)."""
    if number is None or clause is None:
        return provision
    article = f"第{clause}条" if clause.isdigit() else clause
    return " ".join(x for x in (number, article, title) if x)


@attrs.frozen
class MeasureTotals:
    """One award provision (``provision`` ``None``: all of them): ``exact`` the exact
    amounts' total over ``exact_count`` decisions, ``up_to`` the upper bounds' total over
    ``up_to_count`` (up to, or a range's upper end), ``no_amount`` eligible decisions
    with no amount, ``unknown`` decisions of unknown eligibility; ``forecast`` those of an
    award paid over time, eligible with an exact amount, shown as a forecast and granted
    nothing (no ``as_of``)."""

    provision: str | None
    exact: Money
    exact_count: int
    up_to: Money
    up_to_count: int
    no_amount: int
    unknown: int
    forecast: int = 0
    label_zh: str = attrs.field(default="", eq=False)

    @property
    def upper(self) -> Money:
        """The most the decisions with an amount can come to: exact plus up to."""
        return self.exact + self.up_to

    @property
    def open(self) -> bool:
        """Whether anything is not exact: a bound, no amount, or unknown eligibility."""
        return bool(self.up_to_count or self.no_amount or self.unknown)

    def text(self) -> str:
        """``exact 1,000.00 元 (1); up to 2,000.00 元 more (2); at most 3,000.00 元; …``,
        the parts with nothing left out."""
        parts = [f"exact {format_value(self.exact)} ({self.exact_count})"]
        if self.up_to_count:
            parts.append(f"up to {format_value(self.up_to)} more ({self.up_to_count})")
            parts.append(f"at most {format_value(self.upper)}")
        if self.no_amount:
            parts.append(f"{self.no_amount} eligible with no amount")
        if self.unknown:
            parts.append(f"{self.unknown} of unknown eligibility")
        return "; ".join(parts)

    def text_zh(self) -> str:
        """:meth:`text` in Chinese."""
        parts = [f"确定金额 {format_value(self.exact)}（{self.exact_count} 项）"]
        if self.up_to_count:
            parts.append(f"另有至多 {format_value(self.up_to)}（{self.up_to_count} 项，仅为上限）")
            parts.append(f"合计至多 {format_value(self.upper)}")
        if self.no_amount:
            parts.append(f"符合条件但金额未定 {self.no_amount} 项")
        if self.unknown:
            parts.append(f"是否符合条件尚未确定 {self.unknown} 项")
        return "；".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            **({} if self.provision is None else {"provision": self.provision}),
            "exact_fen": self.exact.fen,
            "exact_yuan": str(self.exact.yuan),
            "exact_count": self.exact_count,
            "up_to_fen": self.up_to.fen,
            "up_to_yuan": str(self.up_to.yuan),
            "up_to_count": self.up_to_count,
            "upper_fen": self.upper.fen,
            "upper_yuan": str(self.upper.yuan),
            "no_amount": self.no_amount,
            "unknown": self.unknown,
            "forecast": self.forecast,
        }


@attrs.frozen
class AmountTotals:
    """The award provisions' :class:`MeasureTotals` (by provision id), ``total`` over all,
    and ``unset``: each unset parameter with the number of decisions it leaves open,
    most first."""

    measures: tuple[MeasureTotals, ...]
    total: MeasureTotals
    unset: tuple[tuple[str, int], ...] = ()

    def lines(self) -> list[str]:
        """The summary's lines: over all, each provision not all exact, the unset."""
        out = [f"awards: {self.total.text()}"]
        out += [f"  {m.provision}: {m.text()}" for m in self.measures if m.open]
        if self.unset:
            named = ", ".join(f"{n} ({k} decisions)" for n, k in self.unset)
            out.append(f"unset parameters (amounts left open): {named}")
        if self.total.forecast:
            out.append(
                f"forecasts: {self.total.forecast} decision(s) of awards paid over time "
                f"({self._forecast_named()}) shown as a forecast, granted nothing: no "
                "--as-of, so the years due cannot be told; give --as-of YYYY-MM-DD, the day "
                "of the payment run, to grant the years due by then"
            )
        return out

    def _forecast_named(self, zh: bool = False) -> str:
        """The awards with forecasts and how many each: ``p/1/r: 2``, ``第1条 奖励 2 项``."""
        if zh:
            return "、".join(
                f"{m.label_zh or m.provision} {m.forecast} 项" for m in self.measures if m.forecast
            )
        return ", ".join(f"{m.provision}: {m.forecast}" for m in self.measures if m.forecast)

    def lines_zh(self) -> list[str]:
        """:meth:`lines` in Chinese."""
        out = [f"奖补：{self.total.text_zh()}"]
        out += [f"  {m.label_zh or m.provision}：{m.text_zh()}" for m in self.measures if m.open]
        if self.unset:
            named = "、".join(f"{n}（{k} 项决定）" for n, k in self.unset)
            out.append(f"未设定的参数（金额因此未定）：{named}")
        if self.total.forecast:
            out.append(
                f"预计：分年拨付的奖补有 {self.total.forecast} 项决定"
                f"（{self._forecast_named(zh=True)}）"
                "仅列出预计金额，未发放：未给出评估日期，无法确定哪些年度已到期；"
                "给出 --as-of YYYY-MM-DD（拨付日期），即发放届时已到期的年度"
            )
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total.to_json(),
            "provisions": [m.to_json() for m in self.measures],
            "unset_parameters": [{"parameter": n, "decisions": k} for n, k in self.unset],
        }


NO_TOTALS = AmountTotals((), MeasureTotals(None, Money(0), 0, Money(0), 0, 0, 0))


def totals_of(
    amounts: Iterable[Sequence[Any]],
    unset: Iterable[Sequence[Any]],
    undated: Collection[str] = frozenset(),
) -> AmountTotals:
    """The rows of :func:`totals_queries`' two queries (from either engine) as totals;
    ``undated``: the awards whose exact amounts are forecasts (:func:`undated_provisions`)."""
    measures = []
    for provision, number, clause, title, ef, en, uf, un, na, uk, xe in amounts:
        measures.append(
            MeasureTotals(
                str(provision),
                Money(int(ef or 0)),
                int(en or 0),
                Money(int(uf or 0)),
                int(un or 0),
                int(na or 0),
                int(uk or 0),
                int(xe or 0) if provision in undated else 0,
                label_zh=_zh_label(number, clause, title, str(provision)),
            )
        )
    measures.sort(key=lambda m: m.provision or "")
    total = MeasureTotals(
        None,
        Money(sum(m.exact.fen for m in measures)),
        sum(m.exact_count for m in measures),
        Money(sum(m.up_to.fen for m in measures)),
        sum(m.up_to_count for m in measures),
        sum(m.no_amount for m in measures),
        sum(m.unknown for m in measures),
        sum(m.forecast for m in measures),
    )
    named = sorted(((str(n), int(k)) for n, k in unset), key=lambda x: (-x[1], x[0]))
    return AmountTotals(tuple(measures), total, tuple(named))
