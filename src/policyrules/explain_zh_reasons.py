"""The reasons and the margins of a decision's Chinese text: a failed condition in words
with the values of the facts it read, why an award is refused otherwise or a decision
cannot be made, a target's margin, a fact's title and value.  Below
:mod:`policyrules.explain_zh`, which says the decision; the rows of the evaluator say a
refused claim with :func:`reasons_zh` too (without making its decision)."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Sequence
from functools import partial

import attrs

from . import syntax as s
from .decisions import Step
from .explain_zh_memo import memo
from .model import ProvisionInfo
from .printer import print_expr
from .runtime.calendar import DurationUnit, calendar_end
from .runtime.values import NONE_TEXT
from .types import Type
from .vocab import REASONS, quoted
from .words import Words, date_zh, duration_zh, value_zh

__all__ = [
    "PeriodEnd",
    "fact_title",
    "fact_value",
    "kind_own_zh",
    "kind_zh",
    "margin_zh",
    "period_end",
    "reasons_zh",
    "refused_reason_zh",
    "target_zh",
    "undecided_zh",
]


_AGAINST = re.compile(r"(.+) against (.+): margin (.+)")


def margin_zh(margin: str, encouraged: bool = False) -> str:
    """The evaluator's margin of a target in words; a shape this does not know is shown as
    written (a deadline's is said from its fields: :mod:`~policyrules.explain_zh_margins`).
    ``encouraged`` (a target the document encourages): the target is said 鼓励目标, not 要求."""
    if (m := _AGAINST.fullmatch(margin)) is not None:
        diff = value_zh(m[3]).replace("percentage points", "个百分点")
        wanted = "鼓励目标" if encouraged else "要求"
        return f"实际 {value_zh(m[1])}，{wanted} {value_zh(m[2])}，相差 {diff}"
    return margin


# A target's comparison in words: of a count (不少于 5 个), of any other quantity (不低于 90%).
_COMPARED = {
    "number": {">=": "不少于", ">": "多于", "<=": "不超过", "<": "少于"},
    None: {">=": "不低于", ">": "高于", "<=": "不超过", "<": "低于"},
}
_FLOOR = frozenset({">=", ">"})
_SIGNED = re.compile(r"(≈?)(-?)(\S+)(?: (.+))?")
# A count's unit its fact's title ends with (数据规模（TB）, …（项）): said after each number.
_TITLE_UNIT = re.compile(r"（([A-Za-z]{1,6}|[个项家名件次人所])）$")
_AGGREGATES = {"average": "平均", "sum": "合计"}


def target_zh(
    w: Words, p: ProvisionInfo | None, margin: str, encouraged: bool = False
) -> str | None:
    """A target's margin (``A against B: margin D``) said against the requirement it meets
    or misses: ``实际 89.9%，要求不低于 90%，尚差 0.1 个百分点``, ``实际平均 ≈90.33 个工作日，
    要求平均不超过 90 个工作日，超出 ≈0.33 个工作日`` (the comparison word from ``require``'s
    operator, 平均 for an average, a count's unit from its fact's title, 超出/尚差/尚余 for the
    sign of the margin, never a minus sign); ``None`` where ``p`` has no such comparison or
    the margin another shape (:func:`margin_zh` says it); ``encouraged``: 鼓励目标为…,
    not 要求…, which reads as a breach when missed."""
    cond = p.require.condition if p is not None and p.require is not None else None
    m = _AGAINST.fullmatch(margin)
    if not isinstance(cond, s.Compare) or cond.op not in _FLOOR | {"<=", "<"} or m is None:
        return None
    assert p is not None
    left, kind, unit = _measured(w, cond.left, p.subject)
    d = _SIGNED.fullmatch(m[3])
    if d is None:
        return None
    approx, minus, number, rest = d[1], d[2], d[3], d[4] or ""
    shown = f"{approx}{number} {rest}" if rest else approx + number
    amount = _with_unit(value_zh(shown), rest, unit)
    if not number.strip("0.,"):
        how = "正好等于要求"
    elif minus:  # short of a floor, or over a ceiling
        how = f"尚差 {amount}" if cond.op in _FLOOR else f"超出 {amount}"
    else:  # over a floor, or room left below a ceiling
        how = f"超出 {amount}" if cond.op in _FLOOR else f"尚余 {amount}"
    word = _COMPARED.get(kind, _COMPARED[None])[cond.op]
    actual, wanted = (_with_unit(value_zh(x), x, unit) for x in (m[1], m[2]))
    asked = f"鼓励目标为{left}" if encouraged else f"要求{left}"
    return f"实际{left} {actual}，{asked}{word} {wanted}，{how}"


def _with_unit(said: str, text: str, unit: str) -> str:
    """``said`` with a count's ``unit`` after it (a value with its own unit keeps it);
    percentage points said as 个百分点."""
    if text.endswith("percentage points"):
        return said.replace("percentage points", "个百分点")
    return f"{said} {unit}" if unit and " " not in text else said


def _measured(w: Words, e: s.Expr, scope: str | None) -> tuple[str, str | None, str]:
    """What a target's left side measures: ``平均`` for an average (``合计`` a sum), the
    kind of value compared (``number`` for a count), and the unit the fact's title gives."""
    word = ""
    if isinstance(e, s.Call) and e.func in _AGGREGATES and e.args:
        word, e = _AGGREGATES[e.func], e.args[0]
    r = w.resolve(e, scope)
    if r is None or r.kind != "fact":
        return word, None, ""
    kind = (r.type.element or r.type).kind
    info = w.fact(f"{r.entity}.{r.name}")
    found = _TITLE_UNIT.search(info.title or "") if info is not None and kind == "number" else None
    return word, kind, found[1] if found else ""


def _names(e: s.Node) -> list[s.Name]:
    out: list[s.Name] = []
    stack: list[s.Node] = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, s.Name):
            out.append(node)
        stack.extend(reversed(s.children(node)))
    return out


def _conditions(p: ProvisionInfo | None) -> dict[str, s.Expr]:
    """The provision's conditions by the text the trace names them with."""
    out: dict[str, s.Expr] = {}
    stack = [line.condition for line in p.eligible] if p is not None else []
    while stack:
        e = stack.pop()
        if isinstance(e, s.And):
            stack += [e.right, e.left]
        else:
            out[print_expr(e)] = e
    return out


_NO_SCHEDULE = re.compile(r"E501: the holiday schedule for (\d+) is not published.*", re.S)
_CODE = re.compile(r"(E\d{3}):")
_PAST_END = re.compile(
    r"E426: (.+?) has (\d+) entries, the first for (\d+), and .+ pays the \d+ years "
    r"(\d+)–(\d+): its entry (\d+) \((.+?), for (\d+)\)(?: and (\d+) more)? would not be "
    r"paid(?: \(nor by (.+?)'s schedule of (\d+) years\))?(?: \(.*)?",
    re.S,
)


def undecided_zh(reason: str, end: PeriodEnd | None = None) -> str:
    """Why a decision could not be made, in words: a year with no holiday schedule (E501),
    said for the period it stops (``end``: its length, and its calendar end where known), a
    list entry after a payment schedule (E426, with its list, entry and year), the
    evaluation reasons E401–E420 and E502 by their meaning; any other reason as written.  What
    a reader can do is said in words: the assumption to name is the operator's (the English
    text's hint), never a name and a value in the Chinese line."""
    if (m := _NO_SCHEDULE.fullmatch(reason)) is not None:
        return (
            f"无法判断：{_unknown_end(m[1], end)}（E501）；可待{m[1]}年放假安排公布后再判断，"
            "或由经办人员按法定节假日规则推算（推荐；不含调休，结果标为推算），或只按周末计"
        )
    if (m := _PAST_END.fullmatch(reason)) is not None:
        more = f"及其后 {m[9]} 项" if m[9] else ""
        longer = f"（读同一列表的 {m[10]} 拨付 {m[11]} 个年度）" if m[10] else ""
        return (
            f"无法判断：{m[1]} 列有 {m[2]} 个年度的金额（自 {m[3]} 年度起），而分年拨付计划只拨付 "
            f"{m[4]}—{m[5]} 年度{longer}：第 {m[6]} 项（{m[7]}，{m[8]} 年度）{more}将不予拨付，"
            "不能略去不提；需核对事实，或按自起算日起计算的期限改写拨付计划（E426）"
        )
    if (m := _CODE.match(reason)) is not None and m[1] in REASONS:
        return f"无法判断：{REASONS[m[1]]}（{m[1]}）"
    return f"无法判断：{reason}"


@attrs.frozen
class PeriodEnd:
    """A deadline's period (``1 月``) and, where its start is known, the day it ends on the
    calendar before a rest day moves it (民法典 第二百零二条)."""

    period: s.DurationLit
    calendar_end: dt.date | None = None


def period_end(
    w: Words, p: ProvisionInfo | None, facts: Sequence[tuple[str, str]]
) -> PeriodEnd | None:
    """The period of ``p``'s ``due`` (a literal length) and its calendar end from the start
    date among ``facts``; None for a provision with no such period."""
    if p is None or p.due is None or not isinstance(p.due.period, s.DurationLit):
        return None
    period = p.due.period
    unit = DurationUnit.parse(period.unit)
    r = w.resolve(p.due.start, p.subject)
    start = dict(facts).get(f"{r.entity}.{r.name}") if r is not None and r.kind == "fact" else None
    if unit is DurationUnit.WORKDAY or start is None or period.number != int(period.number):
        return PeriodEnd(period)
    with contextlib.suppress(ValueError, OverflowError):
        return PeriodEnd(
            period, calendar_end(dt.date.fromisoformat(start), int(period.number), unit)
        )
    return PeriodEnd(period)


def _unknown_end(year: str, end: PeriodEnd | None) -> str:
    """What an unpublished year's schedule leaves open: the working days a period counts,
    or (a period of days, weeks, months or years) whether its last day is a rest day."""
    if end is None:
        return f"{year}年的放假安排尚未公布，无法确定哪些日子是工作日，期限无法计算"
    length = duration_zh(end.period.number, end.period.unit)
    if DurationUnit.parse(end.period.unit) is DurationUnit.WORKDAY:
        return (
            f"期限为 {length}，{year}年的放假安排尚未公布，无法确定哪些日子是工作日，无法计算期满日"
        )
    on = f"，按日历于{date_zh(end.calendar_end)}届满" if end.calendar_end is not None else ""
    return (
        f"期限为 {length}{on}；届满日为休息日的，顺延至其后第一个工作日（民法典第二百零三条），"
        f"而{year}年的放假安排尚未公布，无法确定实际期满日"
    )


_ONCE = re.compile(r"once per (\w+) \(一次性\): \w+ (.+?) was already granted(?: (.+))? under \S+")
_QUOTA = re.compile(
    r"quota (\d+) ranked by \w+: rank (\S+) is below the first \d+(?: \((\d+) ranked better\))?"
)
_LIMIT = re.compile(
    r"limit (\d+) per (\w+)(?: per year of .+?)?: \w+ (\S+) has (\d+) paid(?: in (\d+))? "
    r"\((\w+) (.+?)(?: and (\d+) more)?\); no place left"
)
_TOP = re.compile(
    r"tiers by \w+ \(highest_only\): tier (.+) was already paid to (\S+); "
    r"tier (.+) is not above it"
)


def refused_reason_zh(w: Words, reason: str) -> str:
    """Why an award is not given that is no failed condition, in words: given once already
    (``once per``), ranked outside a quota, no place left under a limit per owner
    (``limit N per E``), a tier no higher than one paid before
    (``highest_only``); another reason as written."""
    if (m := _ONCE.fullmatch(reason)) is not None:
        who = w.entity(m[1])
        paid = f"（此前已获 {m[3]}）" if m[3] else ""
        return f"{who} {m[2]} 已获得过本项支持{paid}，每个{who}只给一次"
    if (m := _QUOTA.fullmatch(reason)) is not None:
        ahead = f"，另有 {m[3]} 个排名在前" if m[3] else ""
        return f"择优支持不超过 {m[1]} 个，排名第 {m[2]} 位，未进入前 {m[1]} 名{ahead}"
    if (m := _LIMIT.fullmatch(reason)) is not None:
        # 单个企业每年奖励人数不超过5人: 本企业本年度已有 5 人获得奖励，名额已满
        owner, who = w.entity(m[2]), w.entity(m[6])
        year = f"{m[5]} 年度" if m[5] else "累计"
        each = "每年" if m[5] else ""
        names = "、".join(m[7].split(", ")) + (f" 等 {int(m[8]) + 5} 个" if m[8] else "")
        return (
            f"每个{owner}{each}奖励不超过 {m[1]} 个{who}：{owner} {m[3]} {year}已有 {m[4]} 个"
            f"{who}获得奖励（{names}），名额已满"
        )
    if (m := _TOP.fullmatch(reason)) is not None:
        return f"只给最高档：{m[2]} 已获{quoted(m[1])}档，本次{quoted(m[3])}档并不更高"
    return reason


def reasons_zh(
    w: Words,
    p: ProvisionInfo | None,
    reasons: Sequence[str],
    trace: Sequence[Step],
    facts: tuple[tuple[str, str], ...],
) -> list[str | None]:
    """Each of the ``reasons`` a decision of provision ``p`` gives, said as the failed
    condition it is (the condition in words and the values of the facts it read, from the
    decision's ``trace`` and ``facts``); ``None`` for a reason that is no failed condition
    of ``p``.  A condition that is one fact's title (a yes/no fact tested as it is) has its
    value alone beside it, the title said once: ``未满足：进口药品（否）``."""
    pid = p.id if p is not None else None
    known = memo(w, ("conditions", pid), lambda: _conditions(p))
    failed = [st.text for st in trace if st.kind == "condition" and st.ok is False]
    values_of = dict(facts)
    out: list[str | None] = []
    for i in range(len(reasons)):
        node = known.get(failed[i]) if i < len(failed) else None
        if node is None:
            out.append(None)
            continue
        keys, expr, period = memo(w, ("failed", pid, failed[i]), partial(_failed, w, p, node))
        seen = []
        for k in keys:
            if k in values_of:
                title, value = fact_title(w, k), fact_value(w, k, values_of[k])
                seen.append(value if title == expr else f"{title}：{value}")
        if period is not None:
            seen.append(period)
        out.append(f"未满足：{expr}" + (f"（{'；'.join(seen)}）" if seen else ""))
    return out


def kind_zh(w: Words, p: ProvisionInfo | None, trace: Sequence[Step]) -> str | None:
    """Where a failed condition of a refused decision of ``p`` (its ``trace``) tests the
    subject's kind, an enum fact ``= member`` or ``in {members}``, that test as a group of
    such refusals says it: ``项目类型不是本条所列的“中试平台建设”`` (the value each subject
    has left out: any other member, or none); ``None`` where none does."""
    said = _kind_of(w, p, trace)
    return said[0] if said is not None else None


def kind_own_zh(
    w: Words,
    p: ProvisionInfo | None,
    reasons: Sequence[str],
    trace: Sequence[Step],
    facts: tuple[tuple[str, str], ...],
) -> str | None:
    """:func:`kind_zh` for one subject refused alone, its own value beside the test as its
    reasons give it (``facts``: the decision's): ``项目类型不是本条所列的“中试平台建设”
    （项目类型：智能工厂建设项目）``, the form a group says, as a group of one; ``None``
    where it has another reason too, which its own line says (a group says none)."""
    if len(reasons) != 1:
        return None
    said = _kind_of(w, p, trace)
    if said is None:
        return None
    kind, key = said
    for k, v in facts:
        if k == key:
            return f"{kind}（{fact_title(w, key)}：{fact_value(w, key, v)}）"
    return kind


def _kind_of(w: Words, p: ProvisionInfo | None, trace: Sequence[Step]) -> tuple[str, str] | None:
    if p is None:
        return None
    failed = tuple([st.text for st in trace if st.kind == "condition" and st.ok is False])
    if not failed:
        return None
    return memo(w, ("kind", p.id, failed), lambda: _kind(w, p, failed))


def _kind(w: Words, p: ProvisionInfo, failed: tuple[str, ...]) -> tuple[str, str] | None:
    """The test of the subject's kind among ``failed`` in words, and its fact's key
    (``entity.name``)."""
    known = memo(w, ("conditions", p.id), lambda: _conditions(p))
    for text in failed:
        node = known.get(text)
        fact: s.Expr
        members: tuple[s.Expr, ...]
        if isinstance(node, s.Compare) and node.op == "=":
            fact, members = node.left, (node.right,)
        elif (
            isinstance(node, s.InSet)
            and not node.negated
            and isinstance(node.container, s.SetLit)
            and node.container.items
        ):
            fact, members = node.element, node.container.items
        else:
            continue
        r = w.resolve(fact, p.subject)
        if r is None or r.kind != "fact" or r.type.kind != "enum":
            continue
        if all((m := w.resolve(x, p.subject)) is not None and m.kind == "member" for x in members):
            key = f"{r.entity}.{r.name}"
            return f"{fact_title(w, key)}不是本条所列的{w.one_of(members, p.subject)}", key
    return None


def _failed(
    w: Words, p: ProvisionInfo | None, node: s.Expr
) -> tuple[tuple[str, ...], str, str | None]:
    """The facts a condition names (``entity.name``, first use first, once each), the
    condition in words, and for one that tests a date ``in force`` the period it is
    tested against (:func:`_period`; else ``None``)."""
    scope = p.subject if p is not None else None
    keys: dict[str, None] = {}
    for name in _names(node):
        r = w.resolve(name, scope)
        if r is not None and r.kind == "fact":
            keys.setdefault(f"{r.entity}.{r.name}")
    return tuple(keys), w.expr(node, scope), _period(w, p, node)


def _period(w: Words, p: ProvisionInfo | None, node: s.Expr) -> str | None:
    """The period a date ``in force`` is tested against, as the evaluator tests it
    (``exprs._in_force``): from the document's ``valid from``, or from the value of its
    ``events from`` assumption where the caller moved it, to its ``valid to``:
    ``本政策有效期按2025年11月24日至2028年12月31日计``, ``本政策有效期按2025年4月7日起计，文本未
    规定截止日期`` (按…计: the start may be the encoding's reading, an issue date where the text
    names none); ``None`` where ``node`` has no ``in force`` or the document no start."""
    doc = w.checked.document(p.document) if p is not None else None
    if doc is None or doc.valid_from is None or not _tests_in_force(node):
        return None
    start = doc.valid_from
    if doc.events_from is not None:
        with contextlib.suppress(ValueError):  # an ISO date, as the evaluator formats it
            start = dt.date.fromisoformat(w.assumptions.get(doc.events_from, ""))
    if doc.valid_to is None:
        said = f"本政策有效期按{date_zh(doc.valid_from)}起计，文本未规定截止日期"
    else:
        said = f"本政策有效期按{date_zh(doc.valid_from)}至{date_zh(doc.valid_to)}计"
    if start != doc.valid_from:
        said += f"；按采用的假设，计入{date_zh(start)}及以后的事件"
    return said


def _tests_in_force(node: s.Node) -> bool:
    stack: list[s.Node] = [node]
    while stack:
        e = stack.pop()
        if isinstance(e, s.InForce):
            return True
        stack.extend(s.children(e))
    return False


def fact_title(w: Words, key: str) -> str:
    """:meth:`Words.fact_title`, made once per fact."""
    return memo(w, ("title", key), lambda: w.fact_title(key))


def fact_value(w: Words, key: str, value: str) -> str:
    """:meth:`Words.fact_value`, the fact's type found once per fact (a fact stated
    ``none`` said as its title's note has it: :func:`~policyrules.words.none_said`)."""
    if value == NONE_TEXT:
        return memo(w, ("none", key), lambda: w.fact_value(key, value))
    kind = memo(w, ("type", key), lambda: _fact_type(w, key))
    return value_zh(value, kind, w)


def _fact_type(w: Words, key: str) -> Type | None:
    info = w.fact(key)
    return info.type if info is not None else None
