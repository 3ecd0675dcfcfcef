"""The clause reference's pages as docutils trees: what :mod:`policyrules.sphinxext` renders.

:func:`document_page` builds one document's section (its number, agencies, dates, validity,
then its chapters, each listing its measures, linked to their own pages, built by
:mod:`policyrules.sphinxext_measure`); :func:`facts_page` builds the index of input facts. The
content comes from :mod:`policyrules.reference`; what only the Sphinx directive knows
(cross-references, where an anchor is registered, where a warning points) it supplies as a
:class:`Page`.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

from .api import Policy
from .model import CheckedPolicy, ClauseInfo
from .printer import print_expr
from .reference import FactRow, anchor, clause_heading, facts_index
from .summary import reader_note
from .vocab import KINDS, chapter_zh, heading_zh
from .words import date_zh

__all__ = ["GLOSSARY_TERMS", "KIND_NAMES", "TERM_MARK", "Page", "document_page", "facts_page"]

# A fact's title that says what its ``none`` means (…日期（none：未牵头完成）,
# …（第12条；none：…）): the reader is told the fact may be 无, not the facts file's word.
_NONE_NOTE = re.compile(r"([（；])none：")


def _none_said(title: str) -> str:
    """``title`` with ``none：`` said as 可为“无”：

    >>> _none_said("牵头完成国际多中心临床试验的日期（none：未牵头完成）")
    '牵头完成国际多中心临床试验的日期（可为“无”：未牵头完成）'
    """
    return _NONE_NOTE.sub(r"\1可为“无”：", title)


KIND_NAMES = KINDS
"""The provision kinds as the overview and the measure pages name them (the vocabulary's)."""

TERM_MARK = "policyrules_term"
"""The attribute that marks a glossary link the extension made (not an author's ``{term}``)."""

GLOSSARY_TERMS = (
    "一次性",
    "年度",
    "工作日",
    "奖励",
    "补助",
    "认定",
    "免申即享",
    "就高不重复",
    "拨付",
)
"""The glossary's words (docs/glossary.md) that a measure's original text may use.  Each measure
whose quote contains one gets an index entry for it, anchored at the measure, so the search
page lists the measure itself (not only its document's page) and the general index groups
the measures by word; the measure's 术语 row links each to its glossary entry where the site
has one (a site of another policy may have no glossary, or define only some of the words:
each word it does not define stays plain text, with no warning)."""

# Defined only when Sphinx is installed (the ``docs`` extra): the module stays importable, and
# doctest-collectable, without it.

if TYPE_CHECKING or importlib.util.find_spec("sphinx") is not None:
    from docutils import nodes
    from sphinx import addnodes

    class Page(Protocol):
        """The directive a page is rendered for."""

        def link(self, kind: str, target: str, text: str) -> nodes.Node:
            """A cross-reference to the ``kind`` object ``target`` (a clause id...), shown as
            ``text``."""

        def note_object(self, kind: str, name: str, node_id: str, title: str = "") -> None:
            """Register ``name`` of ``kind`` as anchored at ``node_id`` on this page."""

        def warn(self, subtype: str, message: str) -> None:
            """A build warning (``policyrules.<subtype>``) located at the directive."""

        @property
        def docname(self) -> str:
            """The page's document name (``clauses/jjxf-2025-50``)."""

    def _para(*children: nodes.Node | str) -> nodes.paragraph:
        para = nodes.paragraph()
        for child in children:
            para += nodes.Text(child) if isinstance(child, str) else child
        return para

    def _sep(text: str) -> nodes.inline:
        """A separator that is read but not seen: the search page's summaries (the page's
        text), copying and screen readers get ``条款：…；章节：…`` rather than words run
        together; the stylesheet hides it (``.policyrules-sep``)."""
        return nodes.inline(text=text, classes=["policyrules-sep"])

    def _rubric(text: str) -> nodes.rubric:
        """A rubric (``原文``) followed, for the page's text only, by a full-width colon."""
        rubric = nodes.rubric(text=text)
        rubric += _sep("：")
        return rubric

    def _field_list(rows: Sequence[tuple[str, nodes.Node | str]]) -> nodes.definition_list:
        """Labelled rows (``条款：京经信发〔2025〕50号 第3条 …``) as a list of terms styled as a
        field list: the label with a full-width colon (docutils' field lists print a half-width
        ``:``), each row's text ending in a hidden ``；`` (the last in ``。``)."""
        dl = nodes.definition_list(classes=["field-list", "policyrules-fields"])
        for i, (name, body) in enumerate(rows):
            item = nodes.definition_list_item()
            item += nodes.term("", name, nodes.inline(text="：", classes=["policyrules-colon"]))
            definition = nodes.definition()
            para = body if isinstance(body, nodes.paragraph) else _para(body)
            para += _sep("。" if i == len(rows) - 1 else "；")
            definition += para
            item += definition
            dl += item
        return dl

    def _bullets(items: Iterable[nodes.Node | str]) -> nodes.bullet_list:
        bl = nodes.bullet_list()
        for item in items:
            li = nodes.list_item()
            li += item if isinstance(item, nodes.paragraph | nodes.Element) else _para(item)
            bl += li
        return bl

    def _table(
        headers: Sequence[str],
        rows: Sequence[Sequence[nodes.Node | str]],
        widths: Sequence[int],
        kind: str = "",
    ) -> nodes.table:
        """A table of class ``policyrules-table`` (and ``policyrules-<kind>``: the stylesheet
        keeps the last column of the parameters and assumptions tables readable on a phone)."""
        table = nodes.table(
            classes=["policyrules-table", *([f"policyrules-{kind}"] if kind else [])]
        )
        group = nodes.tgroup(cols=len(headers))
        table += group
        for w in widths:
            group += nodes.colspec(colwidth=w)
        head = nodes.thead()
        group += head
        hrow = nodes.row()
        for h in headers:
            entry = nodes.entry()
            entry += _para(h)
            hrow += entry
        head += hrow
        body = nodes.tbody()
        group += body
        for cells in rows:
            row = nodes.row()
            for cell in cells:
                entry = nodes.entry()
                entry += cell if isinstance(cell, nodes.paragraph) else _para(cell)
                row += entry
            body += row
        return table

    def _measure_link(clause_id: str, text: str) -> addnodes.pending_xref:
        """A link to the measure, in the body font (the policy's words, not code)."""
        ref = addnodes.pending_xref(
            "", nodes.inline(text, text), refdomain="policyrules", reftype="clause"
        )
        ref["reftarget"] = clause_id
        ref["refexplicit"] = True
        ref["refwarn"] = True
        return ref

    def _section(ids: str, title: str) -> nodes.section:
        sec = nodes.section(ids=[ids], names=[ids])
        sec += nodes.title(text=title)
        return sec

    def _code(text: str, language: str = "policyrules") -> nodes.literal_block:
        block = nodes.literal_block(text, text, language=language)
        block["classes"].append("policyrules-code")
        return block

    def _term(word: str) -> addnodes.pending_xref:
        """A link to ``word``'s entry in the site's glossary (Sphinx's ``:term:`` role), or
        the word alone where the site defines no such term (``policyrules_term``: the
        extension's ``missing-reference`` handler, :func:`policyrules.sphinxext.term_as_text`)."""
        ref = addnodes.pending_xref(
            "", nodes.inline(word, word), refdomain="std", reftype="term", reftarget=word
        )
        ref["refexplicit"] = True
        ref["refwarn"] = True
        ref[TERM_MARK] = True
        return ref

    def _separated(items: Sequence[nodes.Node | str], sep: str) -> list[nodes.Node | str]:
        """``items`` with ``sep`` between each two."""
        out: list[nodes.Node | str] = []
        for i, item in enumerate(items):
            if i:
                out.append(sep)
            out.append(item)
        return out

    def document_page(
        page: Page, policy: Policy, name: str, measure_docs: dict[str, str]
    ) -> nodes.section:
        """The section of document ``name`` (which the policy has): its header, then its
        chapters, each listing its measures.  ``measure_docs`` maps a clause id to the docname
        of its own page (a hidden toctree lists them, in order).  Each measure's item keeps
        the measure's anchor (``#jjxf-2025-50-3``), so links to the former one-page layout land
        on the item, which links to the measure's page."""
        checked = policy.checked
        doc = checked.document(name)
        assert doc is not None
        top = _section(doc.name.replace("_", "-"), f"{doc.number or doc.name} {doc.title}")
        page.note_object("document", doc.name, top["ids"][0])
        top += _header(policy, doc.name)
        clauses = [c for c in checked.clauses if c.document == doc.name]
        chapters: dict[tuple[str, str] | None, list[ClauseInfo]] = {}
        for c in clauses:
            chapters.setdefault(c.chapter, []).append(c)
        for chapter, members in chapters.items():
            parent = top
            if chapter is not None:
                parent = _section(
                    f"{doc.name.replace('_', '-')}-chapter-{chapter[0]}",
                    chapter_zh(*chapter),
                )
                top += parent
            items: list[nodes.Node | str] = []
            for c in members:
                kinds = "、".join(dict.fromkeys(KIND_NAMES.get(k, k) for k in c.kinds))
                item = _para(_measure_link(c.id, clause_heading(c)), f"（{kinds}）")
                item["ids"].append(anchor(c.document, c.label))
                items.append(item)
            parent += _bullets(items)
        toc = addnodes.toctree()
        toc["parent"] = page.docname
        toc["entries"] = [(None, measure_docs[c.id]) for c in clauses if c.id in measure_docs]
        toc["includefiles"] = [d for _t, d in toc["entries"]]
        for key, value in (
            ("maxdepth", -1),
            ("caption", None),
            ("glob", False),
            ("hidden", True),
            ("includehidden", False),
            ("numbered", 0),
            ("titlesonly", False),
        ):
            toc[key] = value
        wrapper = nodes.compound(classes=["toctree-wrapper"])
        wrapper += toc
        top += wrapper
        return top

    def _header(policy: Policy, name: str) -> list[nodes.Node]:
        checked = policy.checked
        doc = checked.document(name)
        assert doc is not None
        clauses = [c for c in checked.clauses if c.document == doc.name]
        rows: list[tuple[str, nodes.Node | str]] = [
            ("文号", doc.number or "—"),
            ("标题", doc.title),
            ("发文机关", "；".join(doc.agencies) or "—"),
            ("印发日期", date_zh(doc.issued) if doc.issued else "—"),
            (
                "有效期",
                f"自{_day(doc.valid_from)}起"
                + (f"至{date_zh(doc.valid_to)}" if doc.valid_to else "（未定终止日期）"),
            ),
        ]
        if doc.events_from:
            a = checked.assumption(doc.events_from)
            # The assumption's value and rationale in words; its name is the encoding's.
            said = policy.words.assumption_value(a.name, print_expr(a.default)) if a else "—"
            rows.append(("适用事项起始", f"{said}（假设：{a.rationale}）" if a else said))
        if doc.source:
            rows.append(("原文来源", _para(nodes.literal(text=doc.source))))
        expected = doc.measures if doc.measures is not None else "?"
        rows.append(("已编码措施", f"{len(clauses)} / {expected}"))
        out: list[nodes.Node] = [_field_list(rows)]
        out += [
            _para(nodes.emphasis(text="说明："), reader_note(policy.words, n)) for n in doc.notes
        ]
        return out

    def _day(day: dt.date | None) -> str:
        return date_zh(day) if day is not None else "—"

    def _dev(node: nodes.Element) -> nodes.Element:
        """``node`` for developers (a code name, a type, a facts-file key): shown on the page,
        left out of the search page's summaries (docs/search-scorer.js drops
        ``.policyrules-dev``), which then read as Chinese."""
        node["classes"].append("policyrules-dev")
        return node

    def facts_page(page: Page, checked: CheckedPolicy) -> list[nodes.Node]:
        """A section per entity: its input facts by their Chinese titles, whether an agency
        decides each, the measures using it (by their numbers, 京经信发〔2025〕50号 第6条), and
        last, for developers, its code name and type."""
        out: list[nodes.Node] = []
        numbers = {d.name: d.number or d.name for d in checked.documents}
        rows_by_entity: dict[str, list[FactRow]] = {}
        for row in facts_index(checked):
            rows_by_entity.setdefault(row.entity, []).append(row)
        for entity, rows in rows_by_entity.items():
            info = checked.entity(entity)
            sec = nodes.section(ids=[f"facts-{entity}"], names=[f"facts-{entity}"])
            if info and info.title:
                sec += nodes.title("", info.title, _dev(nodes.inline(text=f"（{entity}）")))
            else:
                sec += nodes.title(text=entity)
            if info is not None:
                parent = checked.entity(info.parent) if info.parent else None
                inside = f"每个{parent.title or parent.name}之内的" if parent else ""
                shape = "单个记录" if info.single else "列表"
                sec += _dev(
                    _para(
                        f"事实文件中：{inside}{shape} ",
                        nodes.literal(text=info.key),
                        "（事实文件中的键）",
                    )
                )
            table_rows: list[list[nodes.Node | str]] = []
            for r in rows:
                target = f"fact-{r.entity}-{r.fact}"
                page.note_object("fact", f"{r.entity}.{r.fact}", target)
                title = _para(_none_said(r.title or r.fact))
                title.insert(0, nodes.inline(ids=[target]))
                links = []
                for c in r.clauses:
                    clause = checked.clause(c)
                    if clause is None:
                        links.append(page.link("clause", c, c))
                        continue
                    number = numbers.get(clause.document, clause.document)
                    links.append(page.link("clause", c, heading_zh(number, clause.label)))
                table_rows.append(
                    [
                        title,
                        "是（认定）" if r.determination else "",
                        _para(*_separated(links, "、"), _sep("；")) if links else _para("—"),
                        _dev(_para(nodes.literal(text=r.fact))),
                        _dev(_para(r.type)),
                    ]
                )
            table = _table(
                ["事实", "由主管部门认定", "使用它的措施", "代码名", "类型"],
                table_rows,
                [30, 12, 26, 18, 14],
            )
            for head in table.findall(nodes.thead):
                for entry in list(head.findall(nodes.entry))[3:]:
                    _dev(entry)
            sec += table
            out.append(sec)
        return out
