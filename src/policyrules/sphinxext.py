"""A Sphinx extension that renders a policy from its ``.rule`` files at build time.

Add ``"policyrules.sphinxext"`` to ``extensions`` in ``conf.py``; it provides a
``policyrules`` domain with two directives and two roles::

    .. policyrules:document:: ../policies/beijing_2025 jjxf_2025_50
       :cases: cases

    .. policyrules:facts:: ../policies/beijing_2025

    See :policyrules:clause:`jjxf_2025_50/3` and :policyrules:fact:`product.approved_on`.

``document`` renders one document of the policy (its number, title, agencies, dates,
validity, chapters) and a section per measure, anchored at :func:`anchor` (``jjxf-2025-50-3``,
``jybf-2025-5-六``): the original text, the kinds, the encoding, parameters, caps, deadlines,
targets, assumptions, notes, twins, and the worked cases of ``cases/*.yaml``, *evaluated
during the build*.  A case whose computed decision differs from its expectation is a Sphinx
warning (an error under ``-W``).  ``facts`` renders the index of input facts.

The content itself (anchors, headings, worked cases, the facts index) comes from
:mod:`policyrules.reference`, which needs no Sphinx.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from .api import Policy
from .model import CheckedPolicy, ClauseInfo
from .printer import print_expr, print_module
from .reference import (
    FactRow,
    WorkedCase,
    anchor,
    case_rows,
    cases_by_clause,
    clause_heading,
    facts_index,
    facts_yaml,
    load_cases,
    load_policy,
    provision_lines,
)
from .syntax import Module

__all__ = ["setup"]

# ---- the Sphinx side ----------------------------------------------------------------------
# Defined only when Sphinx is installed (the ``docs`` extra): the helpers above stay
# importable, and doctest-collectable, without it.

if TYPE_CHECKING or importlib.util.find_spec("sphinx") is not None:
    from docutils import nodes
    from docutils.parsers.rst import directives
    from sphinx import addnodes
    from sphinx.builders import Builder
    from sphinx.domains import Domain, ObjType
    from sphinx.environment import BuildEnvironment
    from sphinx.roles import XRefRole
    from sphinx.util import logging
    from sphinx.util.docutils import SphinxDirective

    if TYPE_CHECKING:
        from sphinx.application import Sphinx
        from sphinx.util.typing import ExtensionMetadata

    logger = logging.getLogger(__name__)

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
        headers: Sequence[str], rows: Sequence[Sequence[nodes.Node | str]], widths: Sequence[int]
    ) -> nodes.table:
        table = nodes.table(classes=["policyrules-table"])
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

    class PolicyRulesDirective(SphinxDirective):  # type: ignore[misc,unused-ignore]
        """Shared by both directives: the policy path argument, relative to the page."""

        def policy_dir(self) -> Path:
            _rel, path = self.env.relfn2path(self.arguments[0], self.env.docname)
            return Path(path)

        def load(self) -> Policy | None:
            path = self.policy_dir()
            try:
                policy = load_policy(path)
            except Exception as exc:  # a policy that does not load is a build warning
                logger.warning(
                    "policyrules: cannot load %s: %s",
                    path,
                    exc,
                    location=(self.env.docname, self.lineno),
                    type="policyrules",
                    subtype="load",
                )
                return None
            for f in sorted(path.glob("*.rule")):
                self.env.note_dependency(str(f.resolve()))
            return policy

        def domain(self) -> PolicyRulesDomain:
            domain = self.env.get_domain("policyrules")
            assert isinstance(domain, PolicyRulesDomain)
            return domain

        def link(self, kind: str, target: str, text: str) -> addnodes.pending_xref:
            ref = addnodes.pending_xref(
                "",
                nodes.literal(text, text),
                refdomain="policyrules",
                reftype=kind,
                reftarget=target,
                refexplicit=True,
                refwarn=True,
                refdoc=self.env.docname,
            )
            ref.source, ref.line = self.state_machine.get_source_and_line(self.lineno)
            return ref

    class DocumentDirective(PolicyRulesDirective):
        """``.. policyrules:document:: POLICY_DIR DOCUMENT_NAME``: one document, every measure.

        Options: ``:cases: DIR`` (worked cases, default ``cases`` in the policy directory),
        ``:no-cases:`` (leave them out).
        """

        required_arguments = 2
        option_spec: ClassVar[dict[str, Any]] = {  # type: ignore[misc,unused-ignore]
            "cases": directives.unchanged,
            "no-cases": directives.flag,
        }

        def run(self) -> list[nodes.Node]:
            policy = self.load()
            if policy is None:
                return []
            checked = policy.checked
            doc = checked.document(self.arguments[1])
            if doc is None:
                names = ", ".join(d.name for d in checked.documents)
                logger.warning(
                    "policyrules: no document %r in %s (known: %s)",
                    self.arguments[1],
                    self.arguments[0],
                    names,
                    location=(self.env.docname, self.lineno),
                    type="policyrules",
                    subtype="document",
                )
                return []
            cases: dict[str, list[WorkedCase]] = {}
            if "no-cases" not in self.options:
                cases_dir = self.policy_dir() / self.options.get("cases", "cases")
                for f in sorted(cases_dir.glob("*.yaml")):
                    self.env.note_dependency(str(f.resolve()))
                cases = cases_by_clause(load_cases(cases_dir))
            top = _section(doc.name.replace("_", "-"), f"{doc.number or doc.name} {doc.title}")
            self.domain().note_object("document", doc.name, self.env.docname, top["ids"][0])
            top += self.header(policy, doc.name)
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
                parent += self.measure(policy, clause, cases.get(clause.id, []))
            return [top]

        def header(self, policy: Policy, name: str) -> list[nodes.Node]:
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
                    para += self.link("clause", c.id, clause_heading(c).split(" ", 1)[0])
                items.append(para)
            out.append(nodes.rubric(text="Chapters"))
            out.append(_bullets(items))
            return out

        def measure(
            self, policy: Policy, clause: ClauseInfo, cases: Sequence[WorkedCase]
        ) -> nodes.section:
            checked = policy.checked
            sec = _section(anchor(clause.document, clause.label), clause_heading(clause))
            self.domain().note_object(
                "clause", clause.id, self.env.docname, sec["ids"][0], clause_heading(clause)
            )
            doc = checked.document(clause.document)
            twins: list[nodes.Node | str] = []
            for t in checked.twins_of(clause.id):
                other = checked.clause(t)
                label = clause_heading(other) if other else t
                other_doc = checked.document(other.document) if other else None
                twins.append(
                    _para(
                        self.link(
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
            sec += _field_list(rows)
            quote = nodes.block_quote(classes=["policyrules-quote"])
            quote += _para(clause.quote or "—")
            sec += nodes.rubric(text="原文 (original text)")
            sec += quote
            if clause.node is not None:
                sec += nodes.rubric(text="Encoding")
                sec += _code(print_module(Module((clause.node,))).rstrip("\n"))
            sec += self.provisions(clause)
            sec += self.open_values(checked, clause)
            if clause.notes:
                sec += nodes.rubric(text="Notes and open questions")
                sec += _bullets(clause.notes)
            if twins:
                sec += nodes.rubric(text="Twins (the same rule elsewhere)")
                sec += _bullets(twins)
            if cases:
                sec += nodes.rubric(text="Worked cases (computed during the build)")
                for case in cases:
                    sec += self.case(policy, clause, case)
            return sec

        def provisions(self, clause: ClauseInfo) -> list[nodes.Node]:
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
                    (role.capitalize(), _para(*_joined(texts)))
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

        def open_values(self, checked: CheckedPolicy, clause: ClauseInfo) -> list[nodes.Node]:
            out: list[nodes.Node] = []
            params = list(
                dict.fromkeys(
                    [*clause.parameters, *(n for p in clause.provisions for n in p.parameters)]
                )
            )
            if params:
                rows = []
                for name in params:
                    info = checked.parameter(name)
                    if info is None:
                        continue
                    state = "unset" if info.default is None else f"set: {print_expr(info.default)}"
                    rows.append(
                        [
                            _para(nodes.literal(text=name)),
                            info.type.describe(),
                            state,
                            info.title or "",
                        ]
                    )
                out += [
                    nodes.rubric(text="Parameters"),
                    _table(["parameter", "type", "value", "meaning"], rows, [20, 10, 15, 55]),
                ]
            names = list(
                dict.fromkeys(
                    [*clause.assumptions, *(n for p in clause.provisions for n in p.assumptions)]
                )
            )
            if names:
                rows = []
                for name in names:
                    a = checked.assumption(name)
                    if a is None:
                        continue
                    rows.append(
                        [
                            _para(nodes.literal(text=name)),
                            a.type.describe(),
                            print_expr(a.default),
                            a.rationale,
                        ]
                    )
                out += [
                    nodes.rubric(text="Assumptions"),
                    _table(["assumption", "type", "default", "rationale"], rows, [20, 10, 15, 55]),
                ]
            return out

        def case(self, policy: Policy, clause: ClauseInfo, case: WorkedCase) -> list[nodes.Node]:
            rows = case_rows(policy, case, clause.id)
            for r in rows:
                if not r.ok:
                    logger.warning(
                        "policyrules: worked case %s::%s: %s %s: %s expected %s, computed %s",
                        case.file,
                        case.name,
                        r.provision,
                        r.subject or "",
                        r.field,
                        r.expected,
                        r.computed,
                        location=(self.env.docname, self.lineno),
                        type="policyrules",
                        subtype="case",
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

    def _joined(texts: Sequence[str]) -> list[nodes.Node | str]:
        out: list[nodes.Node | str] = []
        for i, t in enumerate(texts):
            if i:
                out.append("; ")
            out.append(nodes.literal(text=t))
        return out

    class FactsDirective(PolicyRulesDirective):
        """``.. policyrules:facts:: POLICY_DIR``: every input fact and the clauses that use it."""

        required_arguments = 1

        def run(self) -> list[nodes.Node]:
            policy = self.load()
            if policy is None:
                return []
            checked = policy.checked
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
                    self.domain().note_object(
                        "fact", f"{r.entity}.{r.fact}", self.env.docname, target
                    )
                    name = _para(nodes.literal(text=r.fact))
                    name.insert(0, nodes.inline(ids=[target]))
                    used = (
                        _para(*_comma([self.link("clause", c, c) for c in r.clauses]))
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

    def _comma(items: Sequence[nodes.Node]) -> list[nodes.Node | str]:
        out: list[nodes.Node | str] = []
        for i, item in enumerate(items):
            if i:
                out.append(", ")
            out.append(item)
        return out

    class PolicyRulesDomain(Domain):  # type: ignore[misc,unused-ignore]
        """Documents, measures (clauses) and facts, with cross-references and search entries."""

        name = "policyrules"
        label = "policyrules"
        object_types: ClassVar[dict[str, ObjType]] = {  # type: ignore[misc,unused-ignore]
            "document": ObjType("document", "document"),
            "clause": ObjType("clause", "clause"),
            "fact": ObjType("fact", "fact"),
        }
        directives: ClassVar[dict[str, Any]] = {  # type: ignore[misc,unused-ignore]
            "document": DocumentDirective,
            "facts": FactsDirective,
        }
        roles: ClassVar[dict[str, Any]] = {  # type: ignore[misc,unused-ignore]
            "document": XRefRole(),
            "clause": XRefRole(),
            "fact": XRefRole(),
        }
        initial_data: ClassVar[dict[str, Any]] = {"objects": {}}  # type: ignore[misc,unused-ignore]

        @property
        def objects(self) -> dict[tuple[str, str], tuple[str, str, str]]:
            """(type, name) -> (docname, anchor, title)."""
            objects: dict[tuple[str, str], tuple[str, str, str]] = self.data.setdefault(
                "objects", {}
            )
            return objects

        def note_object(
            self, kind: str, name: str, docname: str, node_id: str, title: str = ""
        ) -> None:
            self.objects[kind, name] = (docname, node_id, title)

        def clear_doc(self, docname: str) -> None:
            for key, (doc, _id, _title) in list(self.objects.items()):
                if doc == docname:
                    del self.objects[key]

        def merge_domaindata(self, docnames: Any, otherdata: dict[str, Any]) -> None:
            for key, value in otherdata["objects"].items():
                if value[0] in docnames:
                    self.objects[key] = value

        def resolve_xref(
            self,
            env: BuildEnvironment,
            fromdocname: str,
            builder: Builder,
            typ: str,
            target: str,
            node: addnodes.pending_xref,
            contnode: nodes.Element,
        ) -> nodes.reference | None:
            found = self.objects.get((typ, target))
            if found is None:
                return None
            docname, node_id, title = found
            from sphinx.util.nodes import make_refnode

            return make_refnode(builder, fromdocname, docname, node_id, contnode, title or target)

        def resolve_any_xref(
            self,
            env: BuildEnvironment,
            fromdocname: str,
            builder: Builder,
            target: str,
            node: addnodes.pending_xref,
            contnode: nodes.Element,
        ) -> list[tuple[str, nodes.reference]]:
            out = []
            for kind in ("clause", "fact", "document"):
                ref = self.resolve_xref(env, fromdocname, builder, kind, target, node, contnode)
                if ref is not None:
                    out.append((f"policyrules:{kind}", ref))
            return out

        def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
            for (kind, name), (docname, node_id, title) in sorted(self.objects.items()):
                yield name, title or name, kind, docname, node_id, 1

    def setup(app: Sphinx) -> ExtensionMetadata:
        """Register the domain and the ``.rule`` lexer (also as ``rule``)."""
        from .lexer import PolicyRulesLexer

        app.add_domain(PolicyRulesDomain)
        app.add_lexer("policyrules", PolicyRulesLexer)
        app.add_lexer("rule", PolicyRulesLexer)
        return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
