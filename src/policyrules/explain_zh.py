"""Explain a result in Chinese, as a letter to the firm would: status words, amounts, caps in
words, facts by their titles, dates as 2025年11月24日.  No expression code: a condition or
cap is said with :class:`~policyrules.words.Words`; only ``verbose`` (``--trace``) adds the
trace, which speaks the encoding's own terms.

Below :mod:`policyrules.result` (``Result.explain(lang="zh")``), beside
:mod:`policyrules.explain` (the English text, unchanged).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from typing import Any

import attrs

from . import syntax as s
from .decisions import CapEvent, Decision
from .explain import Explainable
from .explain_exclusive import exclusion_zh, provision_zh, refused_zh
from .explain_holds import holds_of, holds_zh, once_zh
from .explain_order import order_hold_zh
from .explain_years import schedule_lines_zh
from .explain_zh_memo import keep, memo, memos
from .model import CheckedPolicy, ProvisionInfo
from .printer import print_cap, print_expr
from .runtime.values import format_value
from .terminal import printable, printable_lines
from .types import Type
from .vocab import REASONS, amount_words, label_zh, status_words
from .words import Words, date_zh, value_zh

__all__ = ["add_text_zh", "decision_text_zh", "explain_text_zh", "no_words", "status_zh"]


def no_words() -> Words:
    """Words for a result made without its policy: names stand for titles (one value,
    made once: its memos of :mod:`.explain_zh_memo` are then kept too)."""
    global _NO_WORDS
    if _NO_WORDS is None:
        _NO_WORDS = Words(CheckedPolicy((), (), (), (), (), ()))
    return _NO_WORDS


_NO_WORDS: Words | None = None


def status_zh(d: Decision) -> str:
    """The status of ``d`` in words: 符合条件, 不符合条件, 待定, 按期完成, 已达到..."""
    return status_words(d.status, d.kind)


def _where(d: Decision) -> str:
    label = label_zh(d.clause_label)  # 第3条, or the text's own （六）
    gap = "" if label.startswith("（") else " "
    return f"{d.document_number or d.document}{gap}{label}"


def _titled(where: str, title: str | None) -> str:
    """``京经信发〔2025〕50号 第3条 创新产品上市奖励``; no space after a full-width bracket:
    ``京医保发〔2025〕5号（六）试点临床试验申请审批时限``."""
    if not title:
        return where
    return f"{where}{'' if where.endswith('）') else ' '}{title}"


def _subject(w: Words, subject: str) -> str:
    """A subject's path of ids as given (``firm-a/A1``); a ``single`` record, whose path is
    its key (``reports``), by its entity's title (主管部门报告的数据)."""
    return memo(w, ("singles",), lambda: _singles(w)).get(subject, subject)


def _singles(w: Words) -> dict[str | None, str]:
    """The key and the name of each ``single`` entity -> its title (the first entity
    naming one wins, as a scan in order finds it)."""
    out: dict[str | None, str] = {}
    for e in w.checked.entities:
        if e.single:
            out.setdefault(e.key, w.entity(e.name))
            out.setdefault(e.name, w.entity(e.name))
    return out


def _provision(w: Words, provision: str) -> ProvisionInfo | None:
    return w.provisions.get(provision)


def _titles(w: Words, facts: tuple[str, ...] | list[str]) -> str:
    return "、".join(w.fact_title(f) for f in facts)


def _amount(w: Words, d: Decision) -> str | None:
    """The amount line of an eligible award, in :func:`~policyrules.vocab.amount_words`'
    words, with why it is not exact."""
    if d.kind != "award" or d.status != "eligible":
        return None
    why = []
    if d.missing_parameters:
        why.append("待定：" + "、".join(w.parameter(p) for p in d.missing_parameters))
    if d.missing_facts:
        why.append("尚缺：" + _titles(w, d.missing_facts))
    holds, count = holds_of(d) if d.amount_kind == "up_to" else ((), 0)
    if holds:
        why.append(holds_zh(holds, count, lambda pid: provision_zh(w, pid)))
    if d.held_by and d.amount_kind == "up_to":
        why.append(once_zh(d.held_by, lambda pid: provision_zh(w, pid)))
    kind = d.amount_kind if d.amount is not None else "unknown"
    if kind == "range" and d.amount_min is None:
        kind = "up_to"
    said = amount_words(
        kind,
        format_value(d.amount),
        format_value(d.amount_min) if d.amount_min is not None else None,
    )
    if kind == "exact":
        return f"金额：{said}"
    if kind == "up_to":
        if not why and d.exclusivity is not None:
            why = ["同组不重复支持（就高）的其他奖励尚未确定，可能由其获得支持（见下）"]
        why = why or ["文本只规定了上限"]
        return f"金额：{said}（这是上限，不是确定金额；{'；'.join(why)}）"
    if kind == "range":
        return f"金额：{said}（{'；'.join(why) or '确切金额在此区间内，待定'}）"
    return f"金额：{said}（{'；'.join(why) or '无法计算上限'}）"


_SCOPE = re.compile(r"(\S+) (.+?)(?:, year (\d+))?")
_NEEDS = re.compile(
    r"(cannot be computed|year unknown): needs (.+?)"
    r"( \(it may count in any year: it holds its amount in each\))?"
)


def _scope(w: Words, scope: str) -> str:
    if scope == "this claim":
        return "本次申请"
    m = _SCOPE.fullmatch(scope)
    if m is None:
        return scope
    year = f"，{m[3]}年度" if m[3] else ""
    return f"{w.entity(m[1])} {m[2]}{year}"


def _cap_node(w: Words, p: ProvisionInfo | None, text: str) -> s.Cap | None:
    for cap in p.caps if p is not None else ():
        if print_cap(cap) == text:
            return cap
    return None


def _cap_said(w: Words, p: ProvisionInfo | None, text: str) -> str:
    """A cap (as printed in the rule) in words, or as printed when the provision lacks it."""
    node = _cap_node(w, p, text)
    return w.cap(node, p.subject if p else None) if node is not None else text


def _cap_text(w: Words, p: ProvisionInfo | None, ev: CapEvent) -> str:
    said = memo(w, ("cap", p.id if p else None, ev.cap), lambda: _cap_said(w, p, ev.cap))
    line = f"上限：{said}（{memo(w, ('scope', ev.scope), lambda: _scope(w, ev.scope))}）"
    if ev.note:
        m = _NEEDS.fullmatch(ev.note)
        if m is None:
            return f"{line}：{ev.note}"
        what = "无法计算" if m[1] == "cannot be computed" else "所属年度未知"
        held = "；可能计入任何年度，在各年度预留本次金额" if m[3] else ""
        return f"{line}：{what}，尚缺{_titles(w, m[2].split(', '))}{held}"
    bits = []
    if ev.used_before:
        bits.append(f"此前已获 {format_value(ev.used_before)}")
    if ev.earlier:
        shown = "、".join(ev.earlier.last_texts())
        if len(ev.earlier) > 3:
            shown = (
                f"共 {len(ev.earlier)} 笔，合计 {ev.earlier.total.format_cn()}；最近 3 笔：{shown}"
            )
        bits.append(f"本次结果中在先的申请：{shown}")
    if ev.binding:
        if ev.requested is not None:
            bits.append(
                f"此上限起作用：{format_value(ev.before)} 核减 {format_value(ev.cut)}，"
                f"为 {format_value(ev.after)}"
            )
        else:
            bits.append("此上限起作用：它是最低的上限")
    return line + ("：" + "；".join(bits) if bits else "")


_EARLY = re.compile(r"(-?[\d.]+) (日|工作日) (early|late)")
_OVERDUE = re.compile(r"not done; (-?[\d.]+) (日|工作日) overdue as of (\S+)")
_AGAINST = re.compile(r"(.+) against (.+): margin (.+)")


def _margin(margin: str) -> str:
    """The evaluator's margin of a deadline or target in words; a shape this does not know
    is shown as written."""
    if margin == "on the last day":
        return "在期限的最后一天完成"
    if (m := _EARLY.fullmatch(margin)) is not None:
        return f"{'提前' if m[3] == 'early' else '逾期'} {value_zh(f'{m[1]} {m[2]}')}"
    if (m := _OVERDUE.fullmatch(margin)) is not None:
        return f"截至{value_zh(m[3])}尚未完成，已逾期 {value_zh(f'{m[1]} {m[2]}')}"
    if (m := _AGAINST.fullmatch(margin)) is not None:
        return f"实际 {value_zh(m[1])}，要求 {value_zh(m[2])}，相差 {value_zh(m[3])}"
    return margin


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


def _undecided(reason: str) -> str:
    """Why a decision could not be made, in words: a year with no holiday schedule (E501),
    the evaluation reasons E401–E420 and E502 by their meaning; any other reason as written."""
    if (m := _NO_SCHEDULE.fullmatch(reason)) is not None:
        return (
            f"无法判断：{m[1]}年的放假安排尚未公布，无法计算工作日期限（E501）；推荐 "
            "holiday_schedule=statutory_projection（按法定节假日规则推算，不含调休，结果标为推算），"
            "或 holiday_schedule=weekends_only（只按周末计）"
        )
    if (m := _CODE.match(reason)) is not None and m[1] in REASONS:
        return f"无法判断：{REASONS[m[1]]}（{m[1]}）"
    return f"无法判断：{reason}"


_ONCE = re.compile(r"once per (\w+) \(一次性\): \w+ (.+) was already granted under \S+")
_QUOTA = re.compile(
    r"quota (\d+) ranked by \w+: rank (\S+) is below the first \d+(?: \((\d+) ranked better\))?"
)
_TOP = re.compile(
    r"tiers by \w+ \(highest_only\): tier (.+) was already paid to (\S+); "
    r"tier (.+) is not above it"
)


def _refused(w: Words, reason: str) -> str:
    """Why an award is not given that is no failed condition, in words: given once already
    (``once per``), ranked outside a quota, a tier no higher than one paid before
    (``highest_only``); another reason as written."""
    if (m := _ONCE.fullmatch(reason)) is not None:
        who = w.entity(m[1])
        return f"{who} {m[2]} 已获得过本项支持，每个{who}只给一次"
    if (m := _QUOTA.fullmatch(reason)) is not None:
        ahead = f"，另有 {m[3]} 个排名在前" if m[3] else ""
        return f"择优支持不超过 {m[1]} 个，排名第 {m[2]} 位，未进入前 {m[1]} 名{ahead}"
    if (m := _TOP.fullmatch(reason)) is not None:
        return f"只给最高档：{m[2]} 已获“{m[1]}”档，本次“{m[3]}”档并不更高"
    return reason


def _reasons(w: Words, p: ProvisionInfo | None, d: Decision) -> list[str]:
    """Why ``d`` does not hold, one line per failed condition: the condition in words and
    the values of the facts it read.  A reason that is no failed condition is said by
    :func:`_undecided` (unknown) or :func:`_refused` (not eligible)."""
    if not d.reasons:
        return []
    pid = p.id if p is not None else None
    known = memo(w, ("conditions", pid), lambda: _conditions(p))
    failed = [st.text for st in d.trace if st.kind == "condition" and st.ok is False]
    facts = dict(d.facts)
    out = []
    for i, reason in enumerate(d.reasons):
        node = known.get(failed[i]) if i < len(failed) else None
        if node is None:
            said = refused_zh(w, d, reason)
            if said is None:
                said = _undecided(reason) if d.status == "unknown" else _refused(w, reason)
            out.append(said)
            continue
        keys, expr = memo(w, ("failed", pid, failed[i]), partial(_failed, w, p, node))
        seen = [k for k in keys if k in facts]
        values = "；".join(f"{_fact_title(w, k)}：{_fact_value(w, k, facts[k])}" for k in seen)
        out.append(f"未满足：{expr}" + (f"（{values}）" if values else ""))
    return out


def _failed(w: Words, p: ProvisionInfo | None, node: s.Expr) -> tuple[tuple[str, ...], str]:
    """The facts a condition names (``entity.name``, first use first, once each) and the
    condition in words."""
    scope = p.subject if p is not None else None
    keys: dict[str, None] = {}
    for name in _names(node):
        r = w.resolve(name, scope)
        if r is not None and r.kind == "fact":
            keys.setdefault(f"{r.entity}.{r.name}")
    return tuple(keys), w.expr(node, scope)


def _fact_title(w: Words, key: str) -> str:
    """:meth:`Words.fact_title`, made once per fact."""
    return memo(w, ("title", key), lambda: w.fact_title(key))


def _fact_value(w: Words, key: str, value: str) -> str:
    """:meth:`Words.fact_value`, the fact's type found once per fact."""
    kind = memo(w, ("type", key), lambda: _fact_type(w, key))
    return value_zh(value, kind, w)


def _fact_type(w: Words, key: str) -> Type | None:
    info = w.fact(key)
    return info.type if info is not None else None


def _labelled(label: str, value: str) -> str:
    """``label：value``; a label that has its own ：(a title or rationale that explains
    itself: ``“一定比例”：…由实施细则确定``) takes the value in （）, so no line reads
    ``a：b：c``."""
    return f"{label}（{value}）" if "：" in label else f"{label}：{value}"


def _assumed(w: Words, name: str, value: str) -> str:
    """``年度上限按哪一日期计入年度：获批日期所在年度`` (:func:`_labelled`)."""
    return _labelled(w.assumption(name), w.assumption_value(name, value))


def _for(w: Words, d: Decision) -> Words:
    """``w`` with the assumption values the decision used (an `if` on one reads them):
    one words object per set of them, kept with ``w``'s memos."""
    return memo(
        w,
        ("for", d.assumptions),
        lambda: attrs.evolve(w, assumptions={**w.assumptions, **dict(d.assumptions)}),
    )


def decision_text_zh(d: Decision, words: Words | None = None, *, verbose: bool = False) -> str:
    """One decision as a block of Chinese text; control and bidi characters from the input
    are escaped (:func:`~policyrules.terminal.printable`).  ``verbose`` adds the trace."""
    w = _for(words or no_words(), d)
    p = _provision(w, d.provision)
    head = memo(
        w,
        ("head", d.status, d.kind, d.document_number, d.document, d.clause, d.title),
        lambda: f"【{status_zh(d)}】{_titled(_where(d), d.title)}",
    )
    head += f" —— 对象：{_subject(w, d.subject)}" if d.subject else ""
    lines = [head]
    if (amount := _amount(w, d)) is not None:
        lines.append(f"  {amount}")
    if (held := order_hold_zh(d, lambda facts: _titles(w, facts))) is not None:
        lines.append(f"  排序：{held}")
    if d.due is not None:
        lines.append(f"  期限：{date_zh(d.due)}")
    if d.done is not None:
        lines.append(f"  完成日期：{date_zh(d.done)}")
    if d.margin:
        lines.append(f"  {_margin(d.margin)}")
    if d.consequence and d.status == "eligible":
        lines.append(f"  可享受：{d.consequence}")
    for r in _reasons(w, p, d):
        lines.append(f"  原因：{r}")
    if d.status != "not_eligible" and (said := exclusion_zh(w, d)) is not None:
        lines.append(f"  {said}")
    if d.missing_facts:
        lines.append(f"  尚需提供：{_titles(w, d.missing_facts)}")
    if d.missing_parameters and d.amount_kind != "up_to":
        lines.append("  待定事项：" + "、".join(w.parameter(x) for x in d.missing_parameters))
    if d.granted_before:
        lines.append(f"  此前已获本项 {format_value(d.granted_before)}，已从本次金额中扣除")
    for ev in d.caps:
        lines.append(f"  {_cap_text(w, p, ev)}")
    if d.schedule:
        lines.extend(schedule_lines_zh(d, lambda text: _cap_said(w, p, text)))
    if d.facts:
        lines.append(f"  所依据的情况：{_facts_said(w, d.facts)}")
    if d.parameters:
        lines.append(memo(w, ("parameters", d.parameters), lambda: _parameters(w, d)))
    if d.assumptions:
        lines.append(memo(w, ("assumptions", d.assumptions), lambda: _assumptions(w, d)))
    if verbose:
        lines.append(f"  计算过程（{d.provision}，{d.kind}）：")
        for st in d.trace:
            mark = {True: "✓", False: "✗", None: "·"}[st.ok]
            lines.append(f"    {mark} {st.kind}: {st.text}")
    text = d.quote or d.clause_quote
    if text:
        lines.append(f"  原文：「{text}」")
    return "\n".join(printable_lines(lines))


def _facts_said(w: Words, facts: tuple[tuple[str, str], ...]) -> str:
    """``title：value；…`` of the facts a decision read, each pair's words kept (a fact's
    values repeat: dates, yes/no, sets; a bounded memo)."""
    kept = memos(w, "fact")
    out = []
    for pair in facts:
        said = kept.get(pair)
        if said is None:
            k, v = pair
            said = f"{_fact_title(w, k)}：{_fact_value(w, k, v)}"
            keep(kept, pair, said)
        out.append(said)
    return "；".join(out)


def _parameters(w: Words, d: Decision) -> str:
    said = "；".join(_labelled(w.parameter(k), value_zh(v)) for k, v in d.parameters)
    return f"  参数：{said}"


def _assumptions(w: Words, d: Decision) -> str:
    said = "；".join(_assumed(w, k, v) for k, v in d.assumptions)
    return f"  采用的假设：{said}"


def explain_text_zh(
    result: Explainable,
    words: Words | None = None,
    *,
    verbose: bool = False,
    texts: Sequence[str] | None = None,
) -> str:
    """Every decision in Chinese: those that apply in full, those that do not in a line each,
    the grants this result adds to the ledger, the assumptions used with their rationale.
    ``texts``: :func:`decision_text_zh` of each decision (not verbose), if already made."""
    w = words or no_words()
    made = None if verbose else texts
    brief = [d for d in result.decisions if d.status == "not_eligible"]
    parts = [
        decision_text_zh(d, w, verbose=verbose) if made is None else made[i]
        for i, d in enumerate(result.decisions)
        if d.status != "not_eligible"
    ]
    if brief:
        rows = []
        for d in brief:
            p = _provision(w, d.provision)
            title = (p.title if p is not None else None) or d.provision.rsplit("/", 1)[-1]
            why = "；".join(_reasons(_for(w, d), p, d))
            who = f" —— {_subject(w, d.subject)}" if d.subject else ""
            rows.append(f"  {_titled(_where(d), title)}{who}" + (f"：{why}" if why else ""))
        parts.append("不符合条件：\n" + "\n".join(printable(r) for r in rows))
    if result.grants:
        rows = []
        for g in result.grants:
            p = _provision(w, g.provision)
            title = (p.title if p is not None else None) or g.provision
            year = f"（计入 {g.year} 年度）" if g.year else ""
            who = "/".join(i for _, i in g.path)
            rows.append(f"  {title} —— {who}：{format_value(g.amount)}{year}")
        parts.append("本次结果计入台账的发放：\n" + "\n".join(printable(r) for r in rows))
    if result.assumptions:
        rows = []
        for k, v in result.assumptions:
            info = w.checked.assumption(k)
            why = f"\n    理由：{info.rationale}" if info is not None else ""
            rows.append(f"  {_assumed(w, k, v)}{why}")
        parts.append("采用的假设：\n" + "\n".join(printable(r, keep="\n") for r in rows))
    if not parts:
        return "没有可判断的事项：所给情况中没有企业、产品或其他对象。\n"
    return "\n\n".join(parts) + "\n"


def add_text_zh(data: dict[str, Any], result: Explainable, words: Words | None = None) -> None:
    """Put the Chinese text beside the English keys of :func:`~policyrules.explain.result_json`
    output: ``text_zh`` on each decision (its block), and on the whole (the letter)."""
    w = words or no_words()
    texts = [decision_text_zh(d, w) for d in result.decisions]  # each made once, used twice
    for entry, text in zip(data["decisions"], texts, strict=True):
        entry["text_zh"] = text
    data["text_zh"] = explain_text_zh(result, w, texts=texts)
