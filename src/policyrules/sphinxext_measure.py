"""A measure's own page in the clause reference (issue 12 §2, §3, §4, §6, §7).

:func:`measure_page` builds the section of one measure: its number, chapter, kinds and terms;
the original text; the measure in plain words (要点, :mod:`policyrules.summary`); the
provisions, parameters and assumptions; notes and twins; then, folded so the text comes
first, the encoding and each worked case (:mod:`policyrules.sphinxext_cases`), a deadline
case with its calendar strip (:mod:`policyrules.sphinxext_calendar`).  The labels are
Chinese; the encoding and identifiers stay as written.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .api import Policy
from .decisions import Decision
from .model import CheckedPolicy, ClauseInfo, ProvisionInfo
from .printer import print_expr, print_module, print_range
from .reference import WorkedCase, anchor, case_rows, clause_heading
from .runtime.calendar import HOLIDAY_ASSUMPTION, Unpublished, WorkCalendar
from .sphinxext_calendar import strip_days, strip_html
from .sphinxext_cases import case_title
from .summary import measure_summary, provision_said, reader_note
from .syntax import Module
from .vocab import ENCOURAGED, chapter_zh
from .words import Words, date_zh, duration_zh, value_zh
from .words_tables import tables_read, tier_table_zh

__all__ = ["deadline_strips", "measure_page"]

_PERIOD = re.compile(r"^([0-9]+) *(\S+)$")


def _strip_for(
    checked: CheckedPolicy, prov: ProvisionInfo, d: Decision, holidays: Unpublished
) -> str | None:
    """The strip of decision ``d`` of deadline ``prov``, or ``None`` when it has no due day or
    its period or start is not a plain value the decision shows.  ``holidays``: how the case
    counts a year whose schedule is not published (its ``holiday_schedule`` assumption)."""
    if prov.due is None or d.due is None:
        return None
    period = print_expr(prov.due.period)
    period = dict(d.parameters).get(period, period)
    match = _PERIOD.match(period)
    start_name = print_expr(prov.due.start)
    start_text = next((v for k, v in d.facts if k.rsplit(".", 1)[-1] == start_name), None)
    if match is None or start_text is None:
        return None
    start = dt.date.fromisoformat(start_text)
    n, unit = int(match.group(1)), match.group(2)
    calendar = WorkCalendar(holidays).tracked()
    days = strip_days(start, d.due, n, unit, calendar, done=d.done)
    subject = (d.subject or "").rsplit("/", 1)[-1]
    caption = (
        f"{subject}：{duration_zh(n, unit)}，自{date_zh(start)}起算（当日不计入），"
        f"期满日 {date_zh(d.due)}"
    )
    caption += f"，实际办结 {date_zh(d.done)}" if d.done else ""
    if calendar.assumed:
        years = "、".join(str(y) for y in sorted(calendar.assumed))
        said = Words(checked).assumption_value(HOLIDAY_ASSUMPTION, holidays.value)
        caption += f"（{years}年放假安排未公布，假设{said}）"
    return strip_html(days, caption, d.done)


def deadline_strips(policy: Policy, clause: ClauseInfo, case: WorkedCase) -> list[str]:
    """The calendar strips of the case's deadline decisions under ``clause`` that have a due
    day, computed by the evaluation (the due day) and the work calendar (the days between).

    >>> import policyrules
    >>> from policyrules.reference import load_cases, cases_by_clause
    >>> policy = policyrules.load("policies/beijing_2025")
    >>> clause = policy.checked.clause("jybf_2025_5/(六)")
    >>> case = cases_by_clause(load_cases("policies/beijing_2025/cases"))[clause.id][0]
    >>> strip = deadline_strips(policy, clause, case)[0]
    >>> 'class="policyrules-day-due"' in strip and 'data-date="2025-11-06"' in strip
    True
    """
    if not any(p.due is not None for p in clause.provisions):
        return []
    try:
        result = policy.evaluate(case.facts)
    except Exception:  # the case's table already shows the error
        return []
    provisions = {f"{clause.id}/{p.name}": p for p in clause.provisions}
    assumed = (case.facts.get("assumptions") or {}) if isinstance(case.facts, dict) else {}
    holidays = Unpublished(str(assumed.get(HOLIDAY_ASSUMPTION, "error")))
    out = []
    for d in result.decisions:
        prov = provisions.get(d.provision)
        if prov is not None:
            try:
                strip = _strip_for(policy.checked, prov, d, holidays)
            except Exception:  # a year without a schedule, a period the strip cannot lay out
                strip = None
            if strip is not None:
                out.append(strip)
    return out


if TYPE_CHECKING or importlib.util.find_spec("sphinx") is not None:
    from docutils import nodes
    from sphinx import addnodes

    from .sphinxext_cases import case_body, details, lines_block
    from .sphinxext_pages import (
        GLOSSARY_TERMS,
        KIND_NAMES,
        Page,
        _bullets,
        _code,
        _dev,
        _field_list,
        _para,
        _rubric,
        _section,
        _sep,
        _separated,
        _table,
        _term,
    )

    _ROLES = {"caps": "上限", "deadlines": "期限", "targets": "目标"}

    def _entity(checked: CheckedPolicy, name: str) -> str:
        info = checked.entity(name)
        return info.title if info is not None and info.title else name

    def measure_page(
        page: Page,
        policy: Policy,
        clause: ClauseInfo,
        cases: Sequence[WorkedCase],
        comments: dict[tuple[str, str], list[str]],
    ) -> nodes.section:
        """The measure's section, anchored at :func:`~policyrules.reference.anchor`.

        ``cases`` are its worked cases; ``comments`` maps (file, case name) to the case's
        comment lines (:func:`~policyrules.sphinxext_cases.case_comments`), (file, "") to the
        file's header."""
        checked = policy.checked
        sec = _section(anchor(clause.document, clause.label), clause_heading(clause))
        page.note_object("clause", clause.id, sec["ids"][0], clause_heading(clause))
        terms = [t for t in GLOSSARY_TERMS if t in (clause.quote or "")]
        if terms:
            index = addnodes.index(entries=[], inline=False)
            index["entries"] = [
                ("single", f"{t}; {clause_heading(clause)}", sec["ids"][0], "main", None)
                for t in terms
            ]
            sec += index
        doc = checked.document(clause.document)
        twins: list[nodes.Node | str] = []
        for t in checked.twins_of(clause.id):
            other = checked.clause(t)
            label = clause_heading(other) if other else t
            other_doc = checked.document(other.document) if other else None
            # a document without a number is named by its name, never "None"
            named = (other_doc.number or other_doc.name) if other_doc else ""
            twins.append(_para(page.link("clause", t, f"{named} {label}".strip())))
        rows: list[tuple[str, nodes.Node | str]] = [
            (
                "条款",
                _para(
                    page.link(
                        "document",
                        clause.document,
                        (doc.number if doc else None) or clause.document,
                    ),
                    f" {clause_heading(clause)}",
                ),
            ),
            ("章节", chapter_zh(*clause.chapter) if clause.chapter else "—"),
            ("类型", "、".join(dict.fromkeys(KIND_NAMES.get(k, k) for k in clause.kinds)) or "—"),
        ]
        if clause.agencies:
            rows.append(("责任单位", "；".join(clause.agencies)))
        if terms:
            rows.append(("术语", _para(*_separated([_term(t) for t in terms], "、"))))
        sec += _field_list(rows)
        quote = nodes.block_quote(classes=["policyrules-quote"])
        quote += _para(clause.quote or "—")
        sec += _rubric("原文")
        sec += quote
        sec += _summary(policy, clause)
        sec += _open_values(policy, clause)
        if clause.notes:
            sec += _rubric("说明与未决问题")
            sec += _bullets([reader_note(policy.words, n) for n in clause.notes])
        if twins:
            sec += _rubric("相同规定（其他文件中）")
            sec += _bullets(twins)
        # The provisions as encoded and the rule text: for those who check the encoding.
        # Its id (what --set and the JSON name it by) is for those who check the encoding.
        body: list[nodes.Node] = [_field_list([("编号", _para(nodes.literal(text=clause.id)))])]
        body += _provisions(policy, clause)
        if clause.node is not None:
            code = _code(print_module(Module((clause.node,))).rstrip("\n"))
            body += [_rubric(".rule 规则文本"), code]
        if len(body) > 1:
            # policyrules-dev: left out of the search page's summaries (docs/search-scorer.js).
            sec += details(
                "编码（各项规定与 .rule 规则文本）",
                body,
                ["policyrules-encoding", "policyrules-dev"],
            )
        if cases:
            sec += _rubric(f"算例（{len(cases)} 个，构建时计算）")
            files = list(dict.fromkeys(c.file for c in cases))
            for file in files:
                if comments.get((file, "")):  # the case file's header: what its cases test
                    title = "算例说明" if len(files) == 1 else f"算例说明（{file}）"
                    sec += details(title, [lines_block(checked, comments[file, ""])])
            for i, case in enumerate(cases, 1):
                sec += _case(
                    page, policy, clause, case, i, comments.get((case.file, case.name), [])
                )
        return sec

    def _summary(policy: Policy, clause: ClauseInfo) -> list[nodes.Node]:
        """要点: the measure in plain words (:func:`~policyrules.summary.measure_summary`),
        a definition list of its sections; nothing for a clause with no provision."""
        summary = measure_summary(policy.checked, clause, policy.words)
        sections = summary.sections()
        if not sections:
            return []
        dl = nodes.definition_list(classes=["policyrules-summary"])
        tables: list[nodes.Node] = []
        for title, items in sections:
            if title == "档次":  # the rows as a table of their own, after the list
                tables += _tier_tables(policy, clause)
                continue
            item = nodes.definition_list_item()
            item += nodes.term("", title, _sep("："))
            body = nodes.definition()
            bullets = _bullets(items)
            # Read as one sentence a section in the page's text: 谁可申请：…；…。
            for i, li in enumerate(bullets.children):
                li.children[-1] += _sep("。" if i == len(bullets.children) - 1 else "；")
            body += bullets
            item += body
            dl += item
        return [_rubric("要点（由编码生成）"), dl, *tables]

    def _tier_tables(policy: Policy, clause: ClauseInfo) -> list[nodes.Node]:
        """Each tier table the clause's provisions read, as a small table: 档次 and what it
        gives, as the summary's 档次 says them."""
        out: list[nodes.Node] = []
        for name in tables_read(clause.provisions):
            table = tier_table_zh(policy.words, name)
            if table is not None:
                head = ["档次", "比例" if table.rate else "金额"]
                rows = [list(row) for row in table.rows]
                out += [_rubric(f"档次表{table.title}"), _table(head, rows, (60, 40), "tiers")]
        return out

    def _case(
        page: Page,
        policy: Policy,
        clause: ClauseInfo,
        case: WorkedCase,
        number: int,
        comments: list[str],
    ) -> nodes.Node:
        rows = case_rows(policy, case, clause.id)
        for r in rows:
            if not r.ok:
                page.warn(
                    "case",
                    f"worked case {case.file}::{case.name}: {r.provision} {r.subject or ''}: "
                    f"{r.field} expected {r.expected}, computed {r.computed}",
                )
        body = case_body(
            policy.checked, case, rows, comments, deadline_strips(policy, clause, case)
        )
        title = f"算例 {number}　{case_title(policy.checked, clause, case)}"
        return details(title, body, ["policyrules-case"])

    def _provisions(policy: Policy, clause: ClauseInfo) -> list[nodes.Node]:
        """Each provision: its kind, name and title, then its caps, deadlines, targets and
        amount in words (the amount with its ``.rule`` text after it)."""
        checked, words = policy.checked, policy.words
        items: list[nodes.Node | str] = []
        for p in clause.provisions:
            para = _para(
                nodes.strong(text=KIND_NAMES.get(p.kind, p.kind)),
                " ",
                nodes.literal(text=p.name),
                f" {p.title}" if p.title else "",
                f"（对象：{_entity(checked, p.subject)}）" if p.subject else "",
            )
            item = nodes.container()
            item += para
            rows: list[tuple[str, nodes.Node | str]] = [
                (_ROLES.get(role, role), "；".join(texts))
                for role, texts in provision_said(words, p).items()
                if texts
            ]
            if p.decided is not None:
                rows.append(
                    (
                        "金额",
                        _para("由主管部门决定：", nodes.literal(text=p.decided.fact)),
                    )
                )
            elif p.amount is not None:
                said, code = words.expr(p.amount.expr, p.subject), print_expr(p.amount.expr)
                shown = [f"{said}（", nodes.literal(text=code), "）"] if said != code else [said]
                rows.append(("金额", _para(*shown)))
            elif p.range is not None:
                rows.append(("金额", _para(nodes.literal(text=print_range(p.range)))))
            if p.consequence:
                rows.append(("后果", p.consequence))
            if p.encouraged:
                rows.append(("性质", ENCOURAGED))
            if rows:
                item += _field_list(rows)
            items.append(item)
        if not items:
            return []
        return [_rubric("规定"), _bullets(items)]

    # Column widths (percent) of the parameters and the assumptions tables.
    _OPEN_VALUE_WIDTHS = (25, 22, 38, 15)

    def _open_values(policy: Policy, clause: ClauseInfo) -> list[nodes.Node]:
        """The tables of the parameters and the assumptions the clause and its provisions use,
        each once, in order of first use: what each decides, its value and why, in words;
        its name last (what ``--set`` and ``--assume`` take)."""
        checked, w = policy.checked, policy.words
        out: list[nodes.Node] = []
        params = _first_uses(clause.parameters, [p.parameters for p in clause.provisions])
        if params:
            rows = [
                [
                    info.title or name,
                    "未定（文本未给出）"
                    if info.default is None
                    else value_zh(print_expr(info.default), info.type, w),
                    "确定后可在计算时给出" if info.default is None else "",
                    _dev(_para(nodes.literal(text=name))),
                ]
                for name in params
                if (info := checked.parameter(name)) is not None
            ]
            out += [
                _rubric("未定参数"),
                _coded_last(
                    _table(
                        ["参数", "取值", "说明", "代码名"],
                        rows,
                        _OPEN_VALUE_WIDTHS,
                        "open-values",
                    )
                ),
            ]
        names = _first_uses(clause.assumptions, [p.assumptions for p in clause.provisions])
        if names:
            rows = [
                [
                    w.assumption(name),
                    w.assumption_value(name, print_expr(a.default)),
                    a.rationale,
                    _dev(_para(nodes.literal(text=name))),
                ]
                for name in names
                if (a := checked.assumption(name)) is not None
            ]
            out += [
                _rubric("假设"),
                _coded_last(
                    _table(
                        ["假设", "采用的读法", "理由", "代码名"],
                        rows,
                        _OPEN_VALUE_WIDTHS,
                        "open-values",
                    )
                ),
            ]
        return out

    def _coded_last(table: nodes.Element) -> nodes.Element:
        """``table`` with its last column (the code name, what ``--set`` and ``--assume``
        take) marked as the developers' (``.policyrules-dev``), as the facts index marks
        its own."""
        for head in table.findall(nodes.thead):
            _dev(list(head.findall(nodes.entry))[-1])
        return table

    def _first_uses(own: Sequence[str], per_provision: Sequence[Sequence[str]]) -> list[str]:
        """``own`` then each provision's names, each name once where it first stands."""
        return list(dict.fromkeys([*own, *(n for names in per_provision for n in names)]))
