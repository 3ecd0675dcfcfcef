"""Worked cases a reader can follow, on the measure pages (issue 12 §4).

A case of ``cases/*.yaml`` is shown under a Chinese title derived from what it expects of the
measure (:func:`case_title`: the provision's title, the subject, the expected status and
amount, as the case file states them: nothing added); its facts as a table of the facts'
Chinese titles and their values (:func:`fact_rows`); the hand-worked arithmetic of the case
file, which YAML loading drops, read again from the file's text (:func:`case_comments`); and
its results, expected beside computed, in words (:func:`result_words`).  A deadline case gets
a calendar strip (:mod:`policyrules.sphinxext_calendar`).

>>> case_comments('''# about the file
... cases:
...   - name: one
...     expect:
...       - amount: "80万元"   # 80 万 ≤ 100 万
...   # the second case
...   - name: "two # not a comment"
... ''')
(['# about the file'], [['- amount: "80万元"  # 80 万 ≤ 100 万'], ['# the second case']])
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .cases import WorkedCase
from .cases_run import CaseRow
from .model import CheckedPolicy, ClauseInfo
from .printer import print_cap
from .runtime.money import Money
from .types import Type
from .vocab import AMOUNT_KINDS, SPENT, amount_words, status_words
from .words import Words, date_zh, value_zh

__all__ = [
    "FIELDS",
    "arithmetic",
    "case_comments",
    "case_dated",
    "case_title",
    "fact_rows",
    "result_words",
]

FIELDS = {
    "status": "结论",
    "amount": "金额",
    "amount_min": "最低金额",
    "amount_kind": "金额性质",
    "binding caps": "起作用的上限",
    "cut": "被上限削减",
    "missing facts": "缺少的事实",
    "missing parameters": "未定参数",
    "due": "期满日",
    "decision": "决定",
    "evaluation": "计算",
}
"""The compared fields of the results table (statuses and amount kinds are
:mod:`policyrules.vocab`'s)."""

_CASE = re.compile(r"^(\s*)- name:")
# A fact title that says what its `none` means: 「…日期（none：未牵头完成）」,
# 「…（第12条；none：…）」.
_NONE_NOTE = re.compile(r"[（；]none：([^）]*)）")
# A character of Chinese text (no space around it when a wrapped line is joined), and the
# marks that end a sentence or a list's head (the next comment line starts a line of its own).
_WIDE = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")
_STOPS = ("。", "；", "：", ".", ";", ":")
# The expectation keys an arithmetic comment may sit beside, as a reader names them.
_LABELS = {
    "amount": "金额",
    "amount_min": "最低金额",
    "amount_kind": "金额性质",
    "cut": "被上限削减",
    "due": "期满日",
    "status": "结论",
}


def _split_comment(line: str) -> tuple[str, str | None]:
    """``line`` without its YAML comment, and the comment (``# …``) if it has one: a ``#`` at
    the start or after a space, outside quotes."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip(), line[i:].rstrip()
    return line.rstrip(), None


def case_comments(text: str) -> tuple[list[str], list[list[str]]]:
    """The comments of a cases file's text: those before its cases, and each case's own (the
    lines that carry one, as written; a run of comment lines just before a case is that
    case's), in the order of the cases."""
    notes: list[str] = []
    cases: list[list[str]] = []
    pending: list[str] = []
    indent: str | None = None
    for line in text.splitlines():
        code, comment = _split_comment(line)
        if not code.strip():
            if comment:
                pending.append(comment)
            continue
        match = _CASE.match(code)
        if match and indent in (None, match.group(1)):
            indent = match.group(1)
            cases.append([])
        target = cases[-1] if cases else notes
        target += pending
        pending = []
        if comment:
            target.append(f"{code.strip()}  {comment}")
    (cases[-1] if cases else notes).extend(pending)
    return notes, cases


def arithmetic(lines: Sequence[str], name: Callable[[str, str], str] | None = None) -> list[str]:
    """A case's comment lines (:func:`case_comments`) as a reader follows them: the comment
    after what it is about (``金额 80万元：80 万元 ≤ 100 万元``; an expectation written on one
    line by ``name(provision, subject)``, by default the subject's id: ``D1：即收即检``); a
    comment beside facts, or on a line of its own, as written.  No YAML is shown.

    >>> arithmetic(['- amount: "80万元"  # 80 万 ≤ 100 万', "# 见上例", "status: met  # 5 ≥ 5",
    ...             "- { provision: d/1/p, subject: firm-d/D1, status: eligible }  # 即收即检"])
    ['金额 80万元：80 万 ≤ 100 万', '见上例', '结论：5 ≥ 5', 'D1：即收即检']

    A sentence wrapped over comment lines is one line; a line indented after ``#`` or after a
    sentence's end starts its own:

    >>> arithmetic(["# 原文只给了上限，具体金额由主管部门", "# 核定。", "# 工作日：", "#   1–5 日"])
    ['原文只给了上限，具体金额由主管部门核定。', '工作日：', '1–5 日']

    A comment that starts with the record it is about puts it first:

    >>> arithmetic(['cut: "130万元"  # P6：180 万 − 50 万 = 130 万元'])
    ['P6 被上限削减 130万元：180 万 − 50 万 = 130 万元']
    """
    out: list[str] = []
    open_ = False  # the last line is a comment of its own whose sentence goes on
    for line in lines:
        code, comment = _split_comment(line)
        text = (comment or "").lstrip("#").strip()
        code = code.strip().removeprefix("- ").strip()
        if not code and open_ and text and not (comment or "").startswith("#  "):
            # A sentence wrapped onto the next comment line reads as one line.
            glue = "" if _WIDE.match(out[-1][-1]) or _WIDE.match(text[0]) else " "
            out[-1] += glue + text
            open_ = not text.endswith(_STOPS)
            continue
        open_ = not code and bool(text) and not text.endswith(_STOPS)
        key = re.match(r"(\w+):\s*(.*)", code)
        subject = re.search(r"subject:\s*([^,}]+)", code)
        provision = re.search(r"provision:\s*([^,}]+)", code)
        head = ""
        if key is not None and key[1] in _LABELS:
            value = key[2].strip().strip("\"'")
            shown = key[1] not in ("status", "amount_kind") and value not in ("", "null")
            head = f"{_LABELS[key[1]]} {value_zh(value)}" if shown else _LABELS[key[1]]
            who = re.match(r"([A-Za-z][\w-]*)：", text)  # a comment about one record: "P6：…"
            if who is not None:
                head, text = f"{who[1]} {head}", text[who.end() :]
        elif subject is not None:
            said = (provision[1].strip() if provision else "", subject[1].strip())
            head = name(*said) if name is not None else said[1].rsplit("/", 1)[-1]
        out.append(f"{head}：{text}" if head and text else text)
    return [line for line in out if line]


def _without_none(title: str) -> tuple[str, str | None]:
    """A fact's title without its note on ``none``, and what ``none`` means
    (``…日期（none：未牵头完成）`` → ``…日期``, ``未牵头完成``)."""
    m = _NONE_NOTE.search(title)
    if m is None:
        return title, None
    rest = "）" if m[0].startswith("；") else ""
    return title[: m.start()] + rest + title[m.end() :], m[1]


def _subject(checked: CheckedPolicy, subject: str | None) -> str:
    """A results row's subject: a record by its id (``firm-a/P1`` → ``P1``), a record that is
    the only one of its kind (``medicine_reports``) by its entity's title."""
    last = (subject or "—").rsplit("/", 1)[-1]
    if subject and "/" not in subject:
        info = next((e for e in checked.entities if subject in (e.key, e.name)), None)
        if info is not None and info.title:
            return info.title
    return last


def _entity_label(checked: CheckedPolicy, name: str) -> str:
    info = checked.entity(name)
    return info.title if info is not None and info.title else name


def _fact_title(checked: CheckedPolicy, dotted: str) -> str:
    """``product.approved_on`` as the policy titles it (``境内获批上市（注册）日期``), else as
    given."""
    entity, _, fact = dotted.rpartition(".")
    info = checked.entity(entity)
    f = info.fact(fact) if info is not None else None
    if f is not None and f.title:
        return _without_none(f.title)[0]
    p = checked.parameter(dotted)
    return p.title if p is not None and p.title else dotted


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(_value(v) for v in value) or "（无）"
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    if isinstance(value, dt.date):
        return date_zh(value)
    return value_zh(str(value))


def _members(checked: CheckedPolicy, type_: Type, value: Any) -> Any:
    """An enum fact's member (or a set or list of them) by its title, when it has one."""
    element = type_.element if type_.element is not None else type_
    enum = checked.enum(element.name) if element.kind == "enum" and element.name else None
    if enum is None:
        return value
    titles = {name: title for name, title in enum.members if title}
    if isinstance(value, list | tuple):
        return [titles.get(str(v), v) for v in value]
    return titles.get(str(value), value)


def fact_rows(checked: CheckedPolicy, facts: Any) -> list[tuple[str, str, str]]:
    """A case's facts as rows (对象, 事实, 值): the record by its entity's title and id, each
    fact by its Chinese title (its name when it has none), the value as written; the ledger's
    earlier grants as rows of their own.

    >>> import policyrules
    >>> checked = policyrules.load("policies/beijing_2025").checked
    >>> fact_rows(checked, {"firms": [{"id": "f", "products": [
    ...     {"id": "P1", "approved_on": dt.date(2026, 1, 5)}]}]})
    [('医疗器械产品 P1（企业 f）', '境内获批上市（注册）日期', '2026年1月5日')]
    """
    by_key = {e.key: e for e in checked.entities}
    rows: list[tuple[str, str, str]] = []

    def walk(key: str, value: Any, owner: str) -> None:
        info = by_key.get(key)
        records = [value] if isinstance(value, Mapping) else value or []
        for record in records:
            if info is None or not isinstance(record, Mapping):
                rows.append((owner or "—", key, _value(record)))
                continue
            name = f"{info.title or info.name} {record.get('id', '')}".strip()
            label = f"{name}（{owner}）" if owner else name
            for fact, v in record.items():
                if fact == "id":
                    continue
                if fact in by_key and by_key[fact].parent == info.name:
                    walk(fact, v, name)
                    continue
                f = info.fact(fact)
                title, none = _without_none(f.title if f is not None and f.title else fact)
                shown = _value(_members(checked, f.type, v) if f is not None else v)
                if v == "none":  # a fact declared `… or none`: nothing, and what that means
                    shown = f"无（{none}）" if none else "无"
                rows.append((label, title, shown))

    for key, value in (facts or {}).items():
        if key == "ledger":
            titles = {p.id: p.title for p in checked.provisions() if p.title}
            for g in value or []:
                path = "/".join(str(g[e.name]) for e in checked.entities if e.name in g)
                year = f"，计入 {g['year']} 年度" if g.get("year") is not None else ""
                award = str(g.get("provision", ""))
                rows.append(
                    ("已拨付记录", titles.get(award, award), f"{path}：{g.get('amount')}{year}")
                )
        elif key in ("assumptions", "parameters") and isinstance(value, Mapping):
            # The readings and the open values the case sets, in words (not a dict's repr).
            w = Words.of(checked)
            for name, v in value.items():
                if key == "assumptions":
                    rows.append(("假设", w.assumption(name), w.assumption_value(name, str(v))))
                else:
                    rows.append(("参数", w.parameter(name), value_zh(str(v))))
        else:
            walk(key, value, "")
    return rows


def case_title(checked: CheckedPolicy, clause: ClauseInfo, case: WorkedCase) -> str:
    """A Chinese title from the case's first expectation about ``clause``: the provision's
    title (when the measure has several), the subject, the expected status, amount, what a cap
    cut (or that one bound) and due day
    (``试点临床试验申请审批时限：A1 按期完成，期满日 2025年11月6日``, ``E1 符合条件，80 万元（确定
    金额）``); ``（另 N 项）`` when it expects more of the measure.  A case's own ``title_zh``
    wins."""
    if case.title_zh:
        return case.title_zh
    mine = [e for e in case.expect if str(e.get("provision", "")).startswith(clause.id + "/")]
    if not mine:
        return case.name
    exp = mine[0]
    name = str(exp.get("provision")).rsplit("/", 1)[-1]
    prov = next((p for p in clause.provisions if p.name == name), None)
    head = (prov.title if prov is not None and prov.title else None) or clause.title or name
    subject = str(exp.get("subject") or "").rsplit("/", 1)[-1]
    kind = prov.kind if prov is not None else None
    encouraged = prov is not None and prov.encouraged
    status = status_words(str(exp["status"]), kind, dated=case_dated(case), encouraged=encouraged)
    nothing = exp.get("amount") is not None and Money.parse(str(exp["amount"])).fen == 0
    if exp["status"] == "eligible" and nothing:  # not "qualified, 0 元" (explain_zh_lines.spent_zh)
        status = (
            SPENT["cap"] if exp.get("cut") or exp.get("binding") else f"{status}，本次无可拨付金额"
        )
    text = f"{subject + ' ' if subject else ''}{status}"
    # The provision's title tells the cases of a measure apart only when it has several.
    text = f"{head}：{text}" if len(clause.provisions) > 1 else text
    if exp.get("amount") is not None:
        money = Money.parse(str(exp["amount"])).format_cn()
        low = exp.get("amount_min")
        kind = exp.get("amount_kind")
        least = Money.parse(str(low)).format_cn() if low is not None else None
        text += "，" + amount_words(kind if kind in AMOUNT_KINDS else None, money, least)
    if exp.get("cut") is not None:
        text += f"，上限核减 {Money.parse(str(exp['cut'])).format_cn()}"
    elif exp.get("binding"):
        text += "，上限起作用"
    if exp.get("due") is not None:
        text += f"，期满日 {_value(exp['due'])}"
    return text + (f"（另 {len(mine) - 1} 项）" if len(mine) > 1 else "")


def _names(checked: CheckedPolicy, text: str) -> str:
    """A results cell's list of fact or parameter names, by their titles."""
    if text in ("[]", "—", ""):
        return "无" if text == "[]" else text
    return "、".join(_fact_title(checked, n.strip()) for n in text.split(","))


def _caps(checked: CheckedPolicy, provision: str, text: str) -> str:
    """A results cell's list of caps (as the encoding prints them, or the start of that, as a
    case file names them: ``200 万元 per product``) in words: 单个医疗器械产品不超过 200 万元;
    a cap the provision does not have as written; ``无`` for none."""
    if text in ("[]", "—", ""):
        return "无" if text == "[]" else text
    p = next((x for x in checked.provisions() if x.id == provision), None)
    caps = [(print_cap(c), c) for c in p.caps] if p is not None else []
    w = Words.of(checked)
    said = []
    for part in text.split(", "):
        node = next((c for shown, c in caps if shown.startswith(part)), None)
        said.append(w.cap(node, p.subject if p else None) if node is not None else part)
    return "；".join(said)


def case_dated(case: WorkedCase) -> bool:
    """Whether ``case`` is evaluated on an evaluation date (its facts' ``as_of``): a pending
    deadline it expects is then 尚未到期, else not judged (:func:`status_words`)."""
    return isinstance(case.facts, Mapping) and case.facts.get("as_of") is not None


def result_words(
    checked: CheckedPolicy, row: CaseRow, *, dated: bool = True
) -> tuple[str, str, str]:
    """A compared field, its expected and its computed value, in words: statuses and amount
    kinds in Chinese (``dated``: the case gives an evaluation date, :func:`case_dated`),
    lists of names by titles, caps in words, dates as 2025年11月6日, ``无`` for an empty
    list."""
    field = FIELDS.get(row.field, row.field)
    values = (row.expected, row.computed)
    if row.field == "status":
        prov = next((p for p in checked.provisions() if p.id == row.provision), None)
        kind, encouraged = (prov.kind, prov.encouraged) if prov is not None else (None, False)
        values = tuple(  # type: ignore[assignment]
            status_words(v, kind, dated=dated, encouraged=encouraged) for v in values
        )
    elif row.field == "amount_kind":
        values = tuple(AMOUNT_KINDS.get(v, v) for v in values)  # type: ignore[assignment]
    elif row.field == "due":
        values = tuple(value_zh(v) for v in values)  # type: ignore[assignment]
    elif row.field in ("missing facts", "missing parameters"):
        values = tuple(_names(checked, v) for v in values)  # type: ignore[assignment]
    elif row.field == "binding caps":
        values = tuple(_caps(checked, row.provision, v) for v in values)  # type: ignore[assignment]
    return field, values[0], values[1]


if TYPE_CHECKING or importlib.util.find_spec("sphinx") is not None:
    from docutils import nodes

    from .sphinxext_pages import _para, _table

    def details(
        summary: str, body: Sequence[nodes.Node], classes: Sequence[str] = (), note: str = ""
    ) -> nodes.container:
        """``body`` folded under ``summary`` (an HTML ``<details>``: closed, opens on a click);
        ``note`` follows the summary in small muted type."""
        import html

        box = nodes.container(classes=["policyrules-details", *classes])
        small = f' <span class="policyrules-case-name">{html.escape(note)}</span>' if note else ""
        box += nodes.raw(
            "", f"<details><summary>{html.escape(summary)}{small}</summary>", format="html"
        )
        for node in body:
            box += node
        box += nodes.raw("", "</details>", format="html")
        return box

    def lines_block(checked: CheckedPolicy, comments: Sequence[str]) -> nodes.line_block:
        """Comment lines in words (:func:`arithmetic`), one line each, wrapping on a phone; an
        expectation about the one record of its kind (reported figures) by its provision's
        title."""
        titles = {p.id: p.title for p in checked.provisions() if p.title}

        def name(provision: str, subject: str) -> str:
            if "/" in subject or provision not in titles:
                return _subject(checked, subject)
            return titles[provision]

        block = nodes.line_block(classes=["policyrules-arithmetic"])
        for text in arithmetic(comments, name):
            line = nodes.line()
            # `a name` in a comment is the encoding's: shown as code
            for i, part in enumerate(text.split("`")):
                line += nodes.literal(text=part) if i % 2 else nodes.Text(part)
            block += line
        return block

    def case_body(
        checked: CheckedPolicy,
        case: WorkedCase,
        rows: Sequence[CaseRow],
        comments: Sequence[str],
        strips: Sequence[str],
    ) -> list[nodes.Node]:
        """A case's inputs table, its worked arithmetic, its results and calendar strips."""
        out: list[nodes.Node] = [nodes.rubric(text="输入")]
        inputs: list[list[nodes.Node | str]] = []
        for i, (owner, fact, value) in enumerate(rows_in := fact_rows(checked, case.facts)):
            same = i > 0 and rows_in[i - 1][0] == owner  # a record's label once, on its first row
            inputs.append(["" if same else owner, fact, value])
        out.append(_table(["对象", "事实", "值"], inputs, [30, 35, 35], "inputs"))
        if comments:
            out += [
                nodes.rubric(text="手算过程（案例文件中的注释）"),
                lines_block(checked, comments),
            ]
        out.append(nodes.rubric(text="结果（构建时计算，与预期对照）"))
        result_rows: list[list[nodes.Node | str]] = []
        for r in rows:
            field, expected, computed = result_words(checked, r, dated=case_dated(case))
            subject = _subject(checked, r.subject)
            ok = "✓" if r.ok else "✗ 不一致"
            result_rows.append([subject, field, expected, computed, ok])
        out.append(
            _table(
                ["对象", "项目", "预期", "计算", ""], result_rows, [14, 18, 30, 30, 8], "results"
            )
        )
        for strip in strips:
            out.append(nodes.raw("", strip, format="html"))
        # Last and muted: where the case is.  Its file also holds the Chinese title shown above
        # (title_zh), so the authors' English name need not be shown to readers; the line is
        # the developers' (policyrules-dev), its file name set as code after the Chinese.
        where = nodes.inline(classes=["policyrules-case-source", "policyrules-dev"])
        where += [
            nodes.Text("供开发者查找：案例文件 "),
            nodes.literal(text=case.file),
            nodes.Text(" 中标题相同的案例"),
        ]
        out.append(_para(where))
        return out
