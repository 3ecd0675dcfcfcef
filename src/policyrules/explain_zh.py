"""Explain a result in Chinese, as a letter to the firm would: status words, amounts, caps in
words, facts by their titles, dates as 2025年11月24日.  No expression code: a condition or
cap is said with :class:`~policyrules.words.Words`; only ``verbose`` (``--trace``) adds the
trace, which speaks the encoding's own terms.

Below :mod:`policyrules.result` (``Result.explain(lang="zh")``), beside
:mod:`policyrules.explain` (the English text, unchanged).
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from typing import Any

import attrs

from .decisions import Decision
from .explain import Explainable
from .explain_en_lines import grant_said, step_line
from .explain_exclusive import exclusion_zh, provision_zh
from .explain_order import order_hold_zh
from .explain_years import schedule_lines_zh
from .explain_zh_caps import cap_line_zh, cap_said
from .explain_zh_lines import (
    amount_line_zh,
    cap_text_zh,
    earlier_line_zh,
    margin_lines_zh,
    reasons_lines_zh,
    spent,
    spent_zh,
    titles_zh,
)
from .explain_zh_memo import keep, memo, memos
from .explain_zh_pairs import assumed_zh, pairs_lines_zh
from .explain_zh_picks import picks_zh
from .explain_zh_reasons import (
    fact_title,
    fact_value,
    kind_own_zh,
    kind_zh,
)
from .explain_zh_refused import RefusedZh, refused_lines_zh, refused_said_zh
from .model import CheckedPolicy, ProvisionInfo
from .runtime.ledger import Grant, GrantRow
from .runtime.money import cn_text
from .terminal import printable, printable_block, printable_lines
from .vocab import (
    ENCOURAGED,
    ENCOURAGED_STATUSES,
    PENDING_UNJUDGED,
    PENDING_UNJUDGED_ENCOURAGED,
    SPENT,
    heading_zh,
    status_words,
)
from .words import Words, date_zh
from .words_tables import provision_table_zh, tier_applied_zh

__all__ = [
    "RefusedZh",
    "add_text_zh",
    "cap_line_zh",
    "dated",
    "decision_text_zh",
    "explain_text_zh",
    "facts_said",
    "head_zh",
    "no_words",
    "pairs_lines_zh",
    "refused_lines_zh",
    "refused_said_zh",
    "refused_zh_of",
    "singles_zh",
    "status_zh",
    "subject_zh",
    "titled_zh",
    "words_for",
]


def no_words() -> Words:
    """Words for a result made without its policy: names stand for titles (one value,
    made once: its memos of :mod:`.explain_zh_memo` are then kept too)."""
    global _NO_WORDS
    if _NO_WORDS is None:
        _NO_WORDS = Words(CheckedPolicy((), (), (), (), (), ()))
    return _NO_WORDS


_NO_WORDS: Words | None = None


def status_zh(d: Decision) -> str:
    """The status of ``d`` in words: 符合条件, 不符合条件, 待定, 按期完成, 已达到...; a
    pending deadline 尚未到期 only when judged on an evaluation date (:func:`dated`); an
    award paid nothing as its cap is spent 符合条件，额度已用完
    (:func:`~.explain_zh_lines.spent`)."""
    if (kind := spent(d)) is not None:
        return SPENT[kind]
    return status_words(d.status, d.kind, dated=dated(d), encouraged=d.encouraged)


def dated(d: Decision) -> bool:
    """Whether ``d`` was judged on an evaluation date as far as its status needs one: a
    ``pending`` deadline has a margin exactly when ``--as-of`` was given (the evaluator
    writes ``not done; not yet due as of …``); every other status needs none."""
    return d.status != "pending" or d.margin is not None


def _titled(number: str | None, document: str, clause: str, title: str | None) -> str:
    """``京经信发〔2025〕50号 第3条 创新产品上市奖励``: the document's number, else its name,
    the clause's label (the last part of its id) and the title (:func:`heading_zh`)."""
    return heading_zh(number or document, clause.rsplit("/", 1)[-1], title)


def subject_zh(w: Words, subject: str) -> str:
    """A subject's path of ids as given (``firm-a/A1``); a ``single`` record, whose path is
    its key (``reports``), by its entity's title (主管部门报告的数据)."""
    return singles_zh(w).get(subject, subject)


def singles_zh(w: Words) -> dict[str | None, str]:
    """The key and the name of each ``single`` entity -> its title (the first entity
    naming one wins, as a scan in order finds it): :func:`subject_zh` says a subject found
    here by its title, any other as it is.  Made once per words object."""
    return memo(w, ("singles",), lambda: _singles(w))


def _singles(w: Words) -> dict[str | None, str]:
    out: dict[str | None, str] = {}
    for e in w.checked.entities:
        if e.single:
            out.setdefault(e.key, w.entity(e.name))
            out.setdefault(e.name, w.entity(e.name))
    return out


def _provision(w: Words, provision: str) -> ProvisionInfo | None:
    return w.provisions.get(provision)


def _for(w: Words, d: Decision) -> Words:
    return words_for(w, d.assumptions)


def words_for(w: Words, assumed: tuple[tuple[str, str], ...]) -> Words:
    """``w`` with the assumption values a decision used (``assumed``: its
    ``assumptions``; an `if` on one reads them): one words object per set of them, kept
    with ``w``'s memos."""
    return memo(
        w,
        ("for", assumed),
        lambda: attrs.evolve(w, assumptions={**w.assumptions, **dict(assumed)}),
    )


def head_zh(
    w: Words,
    status: str,
    kind: str,
    number: str | None,
    document: str,
    clause: str,
    title: str | None,
    *,
    dated: bool = True,
    encouraged: bool = False,
    label: str | None = None,
) -> str:
    """The head of a decision's Chinese text before its subject:
    ``【符合条件】京经信发〔2025〕50号 第3条 创新医疗器械获批上市一次性奖励`` (``dated``,
    ``encouraged``: see :func:`status_words`); ``label`` in place of the status's words
    (【符合条件，额度已用完】: :func:`~.explain_zh_lines.spent_zh`)."""
    return memo(
        w,
        ("head", status, kind, number, document, clause, title, dated, encouraged, label),
        lambda: (
            f"【{label or status_words(status, kind, dated=dated, encouraged=encouraged)}】"
            f"{_titled(number, document, clause, title)}"
        ),
    )


def decision_text_zh(d: Decision, words: Words | None = None, *, verbose: bool = False) -> str:
    """One decision as a block of Chinese text; control and bidi characters from the input
    are escaped (:func:`~policyrules.terminal.printable`).  ``verbose`` adds the trace."""
    w = _for(words or no_words(), d)
    p = _provision(w, d.provision)
    on = dated(d)
    spent = spent_zh(w, p, d)
    head = head_zh(
        w,
        d.status,
        d.kind,
        d.document_number,
        d.document,
        d.clause,
        d.title,
        dated=on,
        encouraged=d.encouraged,
        label=spent[0] if spent is not None else None,
    )
    head += f" —— 对象：{subject_zh(w, d.subject)}" if d.subject else ""
    lines = [head]
    if d.encouraged and d.status in ENCOURAGED_STATUSES:
        lines.append(f"  性质：{ENCOURAGED}")
    if (amount := amount_line_zh(w, d, p)) is not None:
        lines.append(f"  {amount}")
        if d.status != "not_eligible" and p is not None and p.kind == "award":
            table = memo(w, ("tier table", d.provision), lambda: provision_table_zh(w, p))
            if table is not None:  # (the trace read only then: it may be made on reading)
                lines += [f"  {line}" for line in tier_applied_zh(table, d.trace)]
    if (held := order_hold_zh(d, lambda facts: titles_zh(w, facts))) is not None:
        lines.append(f"  排序：{held}")
    if d.due is not None:
        lines.append(f"  期限：{date_zh(d.due)}")
    if not on:
        lines.append(f"  {PENDING_UNJUDGED_ENCOURAGED if d.encouraged else PENDING_UNJUDGED}")
    if d.done is not None:
        lines.append(f"  完成日期：{date_zh(d.done)}")
    if d.kind != "award":  # (an award has no margin: its properties not read)
        lines += margin_lines_zh(w, p, d)
    if d.consequence and d.status == "eligible":
        lines.append(f"  可享受：{d.consequence}")
    for r in reasons_lines_zh(w, p, d):
        lines.append(f"  原因：{r}")
    if d.status != "not_eligible" and (said := exclusion_zh(w, d)) is not None:
        lines.append(f"  {said}")
    if d.missing_facts:
        lines.append(f"  尚需提供：{titles_zh(w, d.missing_facts)}")
    if d.missing_parameters and d.amount_kind != "up_to":
        lines.append("  待定事项：" + "、".join(w.parameter(x) for x in d.missing_parameters))
    if d.granted_before:
        lines.append(f"  {earlier_line_zh(d)}")
    for ev in d.caps:
        lines.append(f"  {cap_text_zh(w, p, ev)}")
    if d.schedule:
        lines.extend(
            schedule_lines_zh(
                d, lambda text: cap_said(w, p, text), lambda pid: provision_zh(w, pid)
            )
        )
    # an eligible decision lists the facts it rests on; a deadline not done keeps its
    # missing completion date (its status rests on it)
    needed = d.missing_facts if d.status == "eligible" else None
    if d.facts and (said := facts_said(w, d.facts, needed)):
        lines.append(f"  所依据的情况：{said}")
    lines += pairs_lines_zh(w, d.parameters, d.assumptions, d.parameters_set)
    if verbose:
        lines += [f"  金额计算：{said}" for said in picks_zh(w, p, d)]
        # The trace speaks the encoding's terms (condition, once per, cap ...), in English
        # as the .rule text does: headed so, not passed off as the letter's Chinese.
        lines.append(f"  计算过程（编码原文，英文；{d.provision}，{d.kind}）：")
        lines.extend(f"    {step_line(st)}" for st in d.trace)
    text = d.quote or d.clause_quote
    if text:
        lines.append(f"  原文：「{text}」")
    return "\n".join(printable_lines(lines))


def facts_said(
    w: Words, facts: tuple[tuple[str, str], ...], needed: Container[str] | None = None
) -> str:
    """``title：value；…`` of the facts a decision read, each pair's words kept (a fact's
    values repeat: dates, yes/no, sets; a bounded memo).  With ``needed`` (an eligible
    decision's ``missing_facts``: the facts the English text says it ``would be decided
    by``), only the facts it rests on: a fact not given is left out unless in ``needed``
    (the other side of an ``or`` already true is not listed as 未提供)."""
    kept = memos(w, "fact")
    out = []
    for pair in facts:
        if needed is not None and pair[1] == "unknown" and pair[0] not in needed:
            continue
        said = kept.get(pair)
        if said is None:
            k, v = pair
            said = f"{fact_title(w, k)}：{fact_value(w, k, v)}"
            keep(kept, pair, said)
        out.append(said)
    return "；".join(out)


def refused_zh_of(w: Words, d: Decision) -> RefusedZh:
    """The decision ``d``, not eligible, as the whole Chinese text lists it: its measure
    and title, its subject, its reasons in words and the test of its kind it failed."""
    p = _provision(w, d.provision)
    wd = _for(w, d)
    why = "；".join(reasons_lines_zh(wd, p, d))
    titled = titled_zh(w, p, d.provision, (d.document_number, d.document, d.clause))
    said = subject_zh(w, d.subject) if d.subject else None
    kind = kind_zh(wd, p, d.trace)
    own = kind_own_zh(wd, p, d.reasons, d.trace, d.facts) if kind is not None else None
    return RefusedZh(titled, said, why, kind, d.provision, own)


def titled_zh(
    w: Words, p: ProvisionInfo | None, provision: str, where: tuple[str | None, str, str]
) -> str:
    """A provision's measure and title (:func:`refused_zh_of`; ``where``: the document's
    number, the document, the clause), made once per words object."""
    return memo(w, ("titled", provision, where), lambda: _titled_of(p, provision, where))


def _titled_of(p: ProvisionInfo | None, provision: str, where: tuple[str | None, str, str]) -> str:
    title = (p.title if p is not None else None) or provision.rsplit("/", 1)[-1]
    return _titled(*where, title)


def explain_text_zh(
    result: Explainable,
    words: Words | None = None,
    *,
    verbose: bool = False,
    texts: Sequence[str] | None = None,
    said: Sequence[Decision | str | RefusedZh] | None = None,
    granted: Sequence[Grant | GrantRow] | None = None,
) -> str:
    """Every decision in Chinese: those that apply in full, those that do not in a line each,
    the grants this result makes and their sum, the assumptions used with their rationale.
    ``texts``: :func:`decision_text_zh` of each decision (not verbose), if already made.
    ``said`` (not verbose): the decisions in order, each made or said without being made:
    its full text (:func:`decision_text_zh`), or for one not eligible its line
    (:class:`RefusedZh`); the text is the same.  ``granted``: the grants, each made or
    its row (:func:`~policyrules.explain_en_lines.grant_said`; ``None``: ``result.grants``)."""
    w = words or no_words()
    made = None if verbose else texts
    if said is None or verbose:
        said = list(result.decisions)
    else:
        made = None
    parts: list[str] = []
    refused: list[RefusedZh] = []
    for i, d in enumerate(said):
        if isinstance(d, str):  # (most: a text said; a RefusedZh is a tuple)
            parts.append(d)
        elif isinstance(d, RefusedZh):
            refused.append(d)
        elif d.status == "not_eligible":
            refused.append(refused_zh_of(w, d))
        else:
            parts.append(decision_text_zh(d, w, verbose=verbose) if made is None else made[i])
    if refused:
        parts.append("不符合条件：\n" + printable_block(refused_lines_zh(w, refused)))
    grants = result.grants if granted is None else granted
    if grants:
        parts.append(_granted_zh(w, grants))
    if result.assumptions:
        assumed = result.assumptions
        parts.append(memo(w, ("assumed block", assumed), lambda: _assumed_block(w, assumed)))
    if not parts:
        return "没有可判断的事项：所给情况中没有企业、产品或其他对象。\n"
    parts[-1] += "\n"  # (not the whole text copied again to end it)
    return "\n\n".join(parts)


def _assumed_block(w: Words, assumed: tuple[tuple[str, str], ...]) -> str:
    """The whole text's block of the assumptions ``assumed`` (name, value's text), each
    with its rationale, escaped: the same for every result listing them (kept by the
    words, :func:`explain_text_zh`)."""
    rows = []
    for k, v in assumed:
        info = w.checked.assumption(k)
        why = f"\n    理由：{info.rationale}" if info is not None else ""
        rows.append(f"  {assumed_zh(w, k, v)}{why}")
    return "采用的假设：\n" + "\n".join(printable(r, keep="\n") for r in rows)


def _granted_zh(w: Words, grants: Sequence[Grant | GrantRow]) -> str:
    """The grants' block of the whole text, a line each (``  title —— f1/P1：150 万元（计入
    2026 年度）``), escaped, then their sum (``  合计：4 笔，2800 万元``).  Said as one list of
    pieces joined once: each line's lead (its provision's title) and year said once, a
    line's pieces not joined apart first.  Its head says what the grants are, not that a
    ledger holds them: they are recorded only where the caller records the result."""
    out = ["本次结果的发放（记入台账的即为这些）："]
    leads: dict[str, str] = {}  # provision -> its line's lead
    years: dict[int | None, str] = {}
    clean = True  # the titles hold nothing to escape
    total = 0  # fen
    for g in grants:
        if type(g) is tuple:  # its row (most): said as grant_said says it, without the call
            provision, path, fen, year = g
            amount = cn_text(fen)
            total += fen
            if len(path) == 2:
                who = path[0][1] + "/" + path[1][1]
            else:
                who = "/".join([i for _, i in path])
        else:
            provision, who, amount, year = grant_said(g)
            total += g.amount.fen if isinstance(g, Grant) else g[2]
        lead = leads.get(provision)
        if lead is None:
            p = _provision(w, provision)
            title = (p.title if p is not None else None) or provision
            lead = leads[provision] = f"\n  {title} —— "
            clean = clean and title.isprintable()
        counted = years.get(year)
        if counted is None:
            counted = years[year] = f"（计入 {year} 年度）" if year else ""
        out += (lead, who, "：", amount, counted)
    summed = f"\n  合计：{len(grants)} 笔，{cn_text(total)}"
    # Beside the titles, only the subjects' ids (each line's third piece) may hold a
    # character to escape: an amount and a year are digits and words.
    if clean and "".join(out[2::5]).isprintable():
        return "".join(out) + summed
    rows = ["".join(out[k : k + 5])[1:] for k in range(1, len(out), 5)]  # (without "\n")
    return f"{out[0]}\n{printable_block(rows)}{summed}"


def add_text_zh(
    data: dict[str, Any],
    result: Explainable,
    words: Words | None = None,
    *,
    said: Sequence[Decision | str | RefusedZh] | None = None,
    granted: Sequence[Grant | GrantRow] | None = None,
) -> None:
    """Put the Chinese text beside the English keys of :func:`~policyrules.explain.result_json`
    output: ``text_zh`` on each decision (its block), and on the whole (the letter).
    ``said`` and ``granted``, if given, as :func:`explain_text_zh` takes them (the texts
    said without making their decisions): a decision said there by its full text takes
    it, any other its :func:`decision_text_zh`; the texts are the same."""
    w = words or no_words()
    decisions = result.decisions
    if said is None:
        texts = [decision_text_zh(d, w) for d in decisions]  # each made once, used twice
        whole = explain_text_zh(result, w, texts=texts, granted=granted)
    else:
        texts, whole_said = [], []  # (a decision's text made once, used twice)
        for t, d in zip(said, decisions, strict=True):
            text = t if isinstance(t, str) else decision_text_zh(d, w)
            texts.append(text)
            whole_said.append(t if isinstance(t, RefusedZh) or d.status == "not_eligible" else text)
        whole = explain_text_zh(result, w, said=whole_said, granted=granted)
    for entry, text in zip(data["decisions"], texts, strict=True):
        entry["text_zh"] = text
    data["text_zh"] = whole
