"""The clause reference's pages as docutils trees: what :mod:`policyrules.sphinxext` renders.

:func:`document_page` builds one document's section (its header, then a section per measure:
the original text, the encoding, provisions, parameters, assumptions, notes, twins, worked
cases); :func:`facts_page` builds the index of input facts.  The content comes from
:mod:`policyrules.reference`; what only the Sphinx directive knows (cross-references, where an
anchor is registered, where a warning points) it supplies as a :class:`Page`.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

from .api import Policy
from .model import CheckedPolicy, ClauseInfo
from .printer import print_expr, print_module
from .reference import (
    FactRow,
    WorkedCase,
    anchor,
    case_rows,
    clause_heading,
    facts_index,
    facts_yaml,
    provision_lines,
)
from .syntax import Module

__all__ = ["GLOSSARY_TERMS", "Page", "document_page", "facts_page"]

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
the measures by word; the measure's 术语 row links each to its glossary entry."""

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

    def _para(*children: nodes.Node | str) -> nodes.paragraph:
        para = nodes.paragraph()
        for child in children:
            para += nodes.Text(child) if isinstance(child, str) else child
        return para

    def _field_list(rows: Sequence[tuple[str, nodes.Node | str]]) -> nodes.field_list:
        fl = nodes.field_list()
        for name, body in rows:
            field = nodes.field()
            field += nodes.field_name(text=name)
            fb = nodes.field_body()
            fb += body if isinstance(body, nodes.paragraph) else _para(body)
            field += fb
            fl += field
        return fl

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

    def _section(ids: str, title: str) -> nodes.section:
        sec = nodes.section(ids=[ids], names=[ids])
        sec += nodes.title(text=title)
        return sec

    def _code(text: str, language: str = "policyrules") -> nodes.literal_block:
        block = nodes.literal_block(text, text, language=language)
        block["classes"].append("policyrules-code")
        return block

    def _term(word: str) -> addnodes.pending_xref:
        """A link to ``word``'s entry in the glossary (Sphinx's ``:term:`` role)."""
        ref = addnodes.pending_xref(
            "", nodes.inline(word, word), refdomain="std", reftype="term", reftarget=word
        )
        ref["refexplicit"] = True
        ref["refwarn"] = True
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
        page: Page, policy: Policy, name: str, cases: dict[str, list[WorkedCase]]
    ) -> nodes.section:
        """The section of document ``name`` (which the policy has): its header, then its
        measures under their chapters.  ``cases`` maps a clause id to its worked cases."""
        checked = policy.checked
        doc = checked.document(name)
        assert doc is not None
        top = _section(doc.name.replace("_", "-"), f"{doc.number or doc.name} {doc.title}")
        page.note_object("document", doc.name, top["ids"][0])
        top += _header(page, policy, doc.name)
        clauses = [c for c in checked.clauses if c.document == doc.name]
        parent = top
        chapter: tuple[str, str] | None = None
        for clause in clauses:
            if clause.chapter != chapter and clause.chapter is not None:
                chapter = clause.chapter
                parent = _section(
                    f"{doc.name.replace('_', '-')}-chapter-{chapter[0]}",
                    f"{chapter[0]}、{chapter[1]}",
                )
                top += parent
            parent += _measure(page, policy, clause, cases.get(clause.id, []))
        return top

    def _header(page: Page, policy: Policy, name: str) -> list[nodes.Node]:
        checked = policy.checked
        doc = checked.document(name)
        assert doc is not None
        clauses = [c for c in checked.clauses if c.document == doc.name]
        rows: list[tuple[str, nodes.Node | str]] = [
            ("Number (文号)", doc.number or "—"),
            ("Title", doc.title),
            ("Agencies", "；".join(doc.agencies) or "—"),
            ("Issued", str(doc.issued) if doc.issued else "—"),
            (
                "Valid",
                f"from {doc.valid_from or '—'}"
                + (f" to {doc.valid_to}" if doc.valid_to else " (no end date)"),
            ),
        ]
        if doc.events_from:
            a = checked.assumption(doc.events_from)
            rows.append(
                (
                    "Events from",
                    _para(
                        nodes.literal(text=doc.events_from),
                        f" = {print_expr(a.default)}: {a.rationale}" if a else "",
                    ),
                )
            )
        if doc.source:
            rows.append(("Source", _para(nodes.literal(text=doc.source))))
        expected = doc.measures if doc.measures is not None else "?"
        rows.append(("Measures encoded", f"{len(clauses)} of {expected}"))
        out: list[nodes.Node] = [_field_list(rows)]
        out += [_para(nodes.emphasis(text="Note: "), n) for n in doc.notes]
        chapters: dict[tuple[str, str] | None, list[ClauseInfo]] = {}
        for c in clauses:
            chapters.setdefault(c.chapter, []).append(c)
        items: list[nodes.Node | str] = []
        for ch, members in chapters.items():
            para = _para(f"{ch[0]}、{ch[1]}: " if ch else "")
            for i, c in enumerate(members):
                para += nodes.Text("，" if i else "")
                para += page.link("clause", c.id, clause_heading(c).split(" ", 1)[0])
            items.append(para)
        out.append(nodes.rubric(text="Chapters"))
        out.append(_bullets(items))
        return out

    def _measure(
        page: Page, policy: Policy, clause: ClauseInfo, cases: Sequence[WorkedCase]
    ) -> nodes.section:
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
            twins.append(
                _para(
                    page.link(
                        "clause", t, f"{other_doc.number if other_doc else ''} {label}".strip()
                    )
                )
            )
        rows: list[tuple[str, nodes.Node | str]] = [
            ("Measure", f"{doc.number if doc else clause.document} {clause_heading(clause)}"),
            ("Chapter", f"{clause.chapter[0]}、{clause.chapter[1]}" if clause.chapter else "—"),
            ("Kinds", ", ".join(clause.kinds)),
            ("Id", _para(nodes.literal(text=clause.id))),
        ]
        if clause.agencies:
            rows.append(("Responsible", "；".join(clause.agencies)))
        if terms:
            rows.append(("术语 (terms)", _para(*_separated([_term(t) for t in terms], "、"))))
        sec += _field_list(rows)
        quote = nodes.block_quote(classes=["policyrules-quote"])
        quote += _para(clause.quote or "—")
        sec += nodes.rubric(text="原文 (original text)")
        sec += quote
        if clause.node is not None:
            sec += nodes.rubric(text="Encoding")
            sec += _code(print_module(Module((clause.node,))).rstrip("\n"))
        sec += _provisions(clause)
        sec += _open_values(checked, clause)
        if clause.notes:
            sec += nodes.rubric(text="Notes and open questions")
            sec += _bullets(clause.notes)
        if twins:
            sec += nodes.rubric(text="Twins (the same rule elsewhere)")
            sec += _bullets(twins)
        if cases:
            sec += nodes.rubric(text="Worked cases (computed during the build)")
            for case in cases:
                sec += _case(page, policy, clause, case)
        return sec

    def _provisions(clause: ClauseInfo) -> list[nodes.Node]:
        items: list[nodes.Node | str] = []
        for p in clause.provisions:
            para = _para(
                nodes.strong(text=p.kind),
                " ",
                nodes.literal(text=p.name),
                f" {p.title}" if p.title else "",
                f" (for {p.subject})" if p.subject else "",
            )
            item = nodes.container()
            item += para
            lines = provision_lines(p)
            rows = [
                (
                    role.capitalize(),
                    _para(*_separated([nodes.literal(text=t) for t in texts], "; ")),
                )
                for role, texts in lines.items()
                if texts
            ]
            if p.decided is not None:
                rows.append(
                    (
                        "Amount",
                        _para("decided by the agency: ", nodes.literal(text=p.decided.fact)),
                    )
                )
            elif p.amount is not None:
                rows.append(("Amount", _para(nodes.literal(text=print_expr(p.amount.expr)))))
            if p.consequence:
                rows.append(("Consequence", p.consequence))
            if rows:
                item += _field_list(rows)
            items.append(item)
        if not items:
            return []
        return [nodes.rubric(text="Provisions"), _bullets(items)]

    # Column widths (percent) of the parameters and the assumptions tables.
    _OPEN_VALUE_WIDTHS = (20, 10, 15, 55)

    def _open_values(checked: CheckedPolicy, clause: ClauseInfo) -> list[nodes.Node]:
        """The tables of the parameters and the assumptions the clause and its provisions use,
        each name once, in order of first use."""
        out: list[nodes.Node] = []
        params = _first_uses(clause.parameters, [p.parameters for p in clause.provisions])
        if params:
            rows = [
                [
                    _para(nodes.literal(text=name)),
                    info.type.describe(),
                    "unset" if info.default is None else f"set: {print_expr(info.default)}",
                    info.title or "",
                ]
                for name in params
                if (info := checked.parameter(name)) is not None
            ]
            out += [
                nodes.rubric(text="Parameters"),
                _table(
                    ["parameter", "type", "value", "meaning"],
                    rows,
                    _OPEN_VALUE_WIDTHS,
                    "open-values",
                ),
            ]
        names = _first_uses(clause.assumptions, [p.assumptions for p in clause.provisions])
        if names:
            rows = [
                [
                    _para(nodes.literal(text=name)),
                    a.type.describe(),
                    print_expr(a.default),
                    a.rationale,
                ]
                for name in names
                if (a := checked.assumption(name)) is not None
            ]
            out += [
                nodes.rubric(text="Assumptions"),
                _table(
                    ["assumption", "type", "default", "rationale"],
                    rows,
                    _OPEN_VALUE_WIDTHS,
                    "open-values",
                ),
            ]
        return out

    def _first_uses(own: Sequence[str], per_provision: Sequence[Sequence[str]]) -> list[str]:
        """``own`` then each provision's names, each name once where it first stands."""
        return list(dict.fromkeys([*own, *(n for names in per_provision for n in names)]))

    def _case(page: Page, policy: Policy, clause: ClauseInfo, case: WorkedCase) -> list[nodes.Node]:
        rows = case_rows(policy, case, clause.id)
        for r in rows:
            if not r.ok:
                page.warn(
                    "case",
                    f"worked case {case.file}::{case.name}: {r.provision} {r.subject or ''}: "
                    f"{r.field} expected {r.expected}, computed {r.computed}",
                )
        container = nodes.container(classes=["policyrules-case"])
        container += _para(nodes.strong(text=case.name), f" ({case.file})")
        container += _code(facts_yaml(case.facts).rstrip("\n"), "yaml")
        container += _table(
            ["provision", "subject", "", "expected", "computed", ""],
            [
                [
                    _para(nodes.literal(text=r.provision.rsplit("/", 1)[-1])),
                    r.subject or "—",
                    r.field,
                    r.expected,
                    r.computed,
                    "✓" if r.ok else "✗",
                ]
                for r in rows
            ],
            [18, 14, 14, 24, 24, 4],
        )
        return [container]

    def facts_page(page: Page, checked: CheckedPolicy) -> list[nodes.Node]:
        """A section per entity: its input facts, their types, and the clauses using each."""
        out: list[nodes.Node] = []
        rows_by_entity: dict[str, list[FactRow]] = {}
        for row in facts_index(checked):
            rows_by_entity.setdefault(row.entity, []).append(row)
        for entity, rows in rows_by_entity.items():
            info = checked.entity(entity)
            title = f"{entity} {info.title}" if info and info.title else entity
            sec = _section(f"facts-{entity}", title)
            if info is not None:
                where = f"single record `{info.key}`" if info.single else f"list `{info.key}`"
                where += f" inside each {info.parent}" if info.parent else ""
                sec += _para(f"In a facts file: {where}.")
            table_rows = []
            for r in rows:
                target = f"fact-{r.entity}-{r.fact}"
                page.note_object("fact", f"{r.entity}.{r.fact}", target)
                name = _para(nodes.literal(text=r.fact))
                name.insert(0, nodes.inline(ids=[target]))
                used = (
                    _para(*_separated([page.link("clause", c, c) for c in r.clauses], ", "))
                    if r.clauses
                    else _para("—")
                )
                table_rows.append(
                    [
                        name,
                        r.type,
                        r.title or "",
                        "determination" if r.determination else "",
                        used,
                    ]
                )
            sec += _table(
                ["fact", "type", "description", "decided by", "used by"],
                table_rows,
                [18, 14, 30, 12, 26],
            )
            out.append(sec)
        return out
