"""A Sphinx extension that renders a policy from its ``.rule`` files at build time.

Add ``"policyrules.sphinxext"`` to ``extensions`` in ``conf.py``; it provides a
``policyrules`` domain with four directives and three roles::

    .. policyrules:document:: ../policies/beijing_2025 jjxf_2025_50

    .. policyrules:facts:: ../policies/beijing_2025

    .. policyrules:overview:: ../policies/beijing_2025

    .. policyrules:measure:: ../../policies/beijing_2025 jjxf_2025_50/3
       :cases: cases

    See :policyrules:clause:`jjxf_2025_50/3` and :policyrules:fact:`product.approved_on`.

``document`` renders one document of the policy (its number, title, agencies, dates, validity)
and its chapters, each listing its measures. ``measure`` renders one measure on a page of its
own, anchored at :func:`~policyrules.reference.anchor` (``jjxf-2025-50-3``, ``jybf-2025-5-六``):
the original text, the kinds, provisions, parameters, assumptions, notes, twins, then folded
the encoding and the worked cases of ``cases/*.yaml``, *evaluated during the build*
(:mod:`policyrules.sphinxext_measure`). A case whose computed decision differs from its
expectation is a Sphinx warning (an error under ``-W``). The measure pages are written by the
extension when the build starts, like autosummary's stubs: the configuration value
``policyrules_measure_pages`` maps a folder of the source tree (``clauses/measure``) to the
policy directory (relative to the source tree), and each measure gets ``<folder>/<anchor>.md``;
a document page's hidden toctree lists its measures. ``facts`` renders the index of input
facts; ``overview`` every measure in one table (:mod:`policyrules.sphinxext_overview`).

The content itself (anchors, headings, worked cases, the facts index) comes from
:mod:`policyrules.reference`, which needs no Sphinx; :mod:`policyrules.sphinxext_pages` builds
the pages' docutils trees from it.  This module is the Sphinx side: the directives, the domain
(anchors, cross-references, search entries) and the extension's ``setup``.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from .api import Policy
from .reference import WorkedCase, anchor, cases_by_clause, load_cases, load_policy
from .sphinxext_cases import case_comments

__all__ = ["setup"]

# Defined only when Sphinx is installed (the ``docs`` extra): the module stays importable, and
# doctest-collectable, without it.

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

    from .sphinxext_measure import measure_page
    from .sphinxext_overview import overview_page
    from .sphinxext_pages import TERM_MARK, document_page, facts_page

    if TYPE_CHECKING:
        from sphinx.application import Sphinx
        from sphinx.util.typing import ExtensionMetadata

    logger = logging.getLogger(__name__)

    class PolicyRulesDirective(SphinxDirective):  # type: ignore[misc,unused-ignore]
        """Shared by both directives: the policy path argument, relative to the page; the
        :class:`~policyrules.sphinxext_pages.Page` the pages are rendered for."""

        def policy_dir(self) -> Path:
            _rel, path = self.env.relfn2path(self.arguments[0], self.env.docname)
            return Path(path)

        def load(self) -> Policy | None:
            path = self.policy_dir()
            try:
                policy = load_policy(path)
            except Exception as exc:  # a policy that does not load is a build warning
                self.warn("load", f"cannot load {path}: {exc}")
                return None
            for f in sorted(path.glob("*.rule")):
                self.env.note_dependency(str(f.resolve()))
            return policy

        def domain(self) -> PolicyRulesDomain:
            domain = self.env.get_domain("policyrules")
            assert isinstance(domain, PolicyRulesDomain)
            return domain

        def link(self, kind: str, target: str, text: str) -> addnodes.pending_xref:
            # A document or a measure is named in the reader's words, a fact by its identifier.
            shown = nodes.literal(text, text) if kind == "fact" else nodes.inline(text, text)
            ref = addnodes.pending_xref(
                "",
                shown,
                refdomain="policyrules",
                reftype=kind,
                reftarget=target,
                refexplicit=True,
                refwarn=True,
                refdoc=self.env.docname,
            )
            ref.source, ref.line = self.state_machine.get_source_and_line(self.lineno)
            return ref

        def note_object(self, kind: str, name: str, node_id: str, title: str = "") -> None:
            self.domain().note_object(kind, name, self.env.docname, node_id, title)

        @property
        def docname(self) -> str:
            return str(self.env.docname)

        def measure_docs(self) -> dict[str, str]:
            """Clause id -> the docname of its measure page, for this directive's policy."""
            here = self.policy_dir().resolve()
            src = Path(self.env.srcdir)
            out: dict[str, str] = {}
            for folder, policy_dir in self.config.policyrules_measure_pages.items():
                if (src / policy_dir).resolve() == here:
                    for c in load_policy(here).checked.clauses:
                        out[c.id] = f"{folder}/{anchor(c.document, c.label)}"
            return out

        def warn(self, subtype: str, message: str) -> None:
            logger.warning(
                "policyrules: %s",
                message,
                location=(self.env.docname, self.lineno),
                type="policyrules",
                subtype=subtype,
            )

    class DocumentDirective(PolicyRulesDirective):
        """``.. policyrules:document:: POLICY_DIR DOCUMENT_NAME``: one document, its chapters
        and links to its measures' pages."""

        required_arguments = 2

        def run(self) -> list[nodes.Node]:
            policy = self.load()
            if policy is None:
                return []
            checked = policy.checked
            if checked.document(self.arguments[1]) is None:
                names = ", ".join(d.name for d in checked.documents)
                self.warn(
                    "document",
                    f"no document {self.arguments[1]!r} in {self.arguments[0]} (known: {names})",
                )
                return []
            return [document_page(self, policy, self.arguments[1], self.measure_docs())]

    class MeasureDirective(PolicyRulesDirective):
        """``.. policyrules:measure:: POLICY_DIR CLAUSE_ID``: one measure on its own page.

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
            clause = policy.checked.clause(self.arguments[1])
            if clause is None:
                self.warn("measure", f"no measure {self.arguments[1]!r} in {self.arguments[0]}")
                return []
            cases: list[WorkedCase] = []
            comments: dict[tuple[str, str], list[str]] = {}
            if "no-cases" not in self.options:
                cases_dir = self.policy_dir() / self.options.get("cases", "cases")
                for f in sorted(cases_dir.glob("*.yaml")):
                    self.env.note_dependency(str(f.resolve()))
                all_cases, comments = _cases(cases_dir)
                cases = cases_by_clause(all_cases).get(clause.id, [])
            return [measure_page(self, policy, clause, cases, comments)]

    class FactsDirective(PolicyRulesDirective):
        """``.. policyrules:facts:: POLICY_DIR``: every input fact and the clauses that use it."""

        required_arguments = 1

        def run(self) -> list[nodes.Node]:
            policy = self.load()
            if policy is None:
                return []
            return facts_page(self, policy.checked)

    class OverviewDirective(PolicyRulesDirective):
        """``.. policyrules:overview:: POLICY_DIR``: every measure in one table, linked."""

        required_arguments = 1

        def run(self) -> list[nodes.Node]:
            policy = self.load()
            if policy is None:
                return []
            return overview_page(policy.checked)

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
            "overview": OverviewDirective,
            "measure": MeasureDirective,
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

    def reread_document_pages(
        app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
    ) -> list[str]:
        """The pages of ``document`` and ``measure`` directives, read again on every build.

        Their index entries are what makes the search page list each measure, and Sphinx
        drops the index entries of the pages an incremental build does not read again
        (sphinx-doc/sphinx#12599); the pages also depend on this package's code.
        """
        domain = env.get_domain("policyrules")
        assert isinstance(domain, PolicyRulesDomain)
        return sorted(
            {
                doc
                for (kind, _name), (doc, _id, _t) in domain.objects.items()
                if kind in ("document", "clause")
            }
            - removed
        )

    def write_measure_pages(app: Sphinx) -> None:
        """Write ``<folder>/<anchor>.md`` for each measure of each policy that
        ``policyrules_measure_pages`` names (only when its text changes, so an incremental
        build reads only what changed), and remove the folder's pages of measures gone."""
        src = Path(app.srcdir)
        for folder, policy_dir in app.config.policyrules_measure_pages.items():
            out = src / folder
            out.mkdir(parents=True, exist_ok=True)
            policy = load_policy((src / policy_dir).resolve())
            rel = os.path.relpath(src / policy_dir, out)
            wanted = set()
            for c in policy.checked.clauses:
                path = out / f"{anchor(c.document, c.label)}.md"
                wanted.add(path.name)
                text = (
                    "<!-- Written by policyrules.sphinxext when the docs are built: "
                    "do not edit. -->\n"
                    f"```{{policyrules:measure}} {rel} {c.id}\n```\n"
                )
                if not path.is_file() or path.read_text("utf-8") != text:
                    path.write_text(text, "utf-8")
            for old in out.glob("*.md"):
                if old.name not in wanted:
                    old.unlink()

    def term_as_text(
        app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref, contnode: nodes.Element
    ) -> nodes.Element | None:
        """A glossary word of a measure page (:data:`~policyrules.sphinxext_pages.TERM_MARK`)
        that the site's glossary does not define: the word as text, not a warning.  The
        words are the project's glossary's; a site built for another policy defines what it
        wants of them, or none."""
        return contnode if node.get(TERM_MARK) else None

    def setup(app: Sphinx) -> ExtensionMetadata:
        """Register the domain and the ``.rule`` lexer (also as ``rule``)."""
        from .lexer import PolicyRulesLexer

        app.add_domain(PolicyRulesDomain)
        app.add_config_value("policyrules_measure_pages", {}, "env", dict)
        app.connect("builder-inited", write_measure_pages)
        app.connect("env-get-outdated", reread_document_pages)
        app.connect("missing-reference", term_as_text)
        app.add_lexer("policyrules", PolicyRulesLexer)
        app.add_lexer("rule", PolicyRulesLexer)
        return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}


_CASES: dict[tuple[str, tuple[tuple[str, float], ...]], Any] = {}


def _cases(
    directory: Path,
) -> tuple[list[WorkedCase], dict[tuple[str, str], list[str]]]:
    """The worked cases of ``directory`` and each case's comment lines by (file, name), each
    file's header comment by (file, ""), read once per build process while the files are
    unchanged."""
    files = sorted(directory.glob("*.yaml"))
    key = (str(directory.resolve()), tuple((f.name, f.stat().st_mtime) for f in files))
    if key not in _CASES:
        cases = load_cases(directory)
        comments: dict[tuple[str, str], list[str]] = {}
        for f in files:
            notes, per_case = case_comments(f.read_text("utf-8"))
            comments[f.name, ""] = notes  # the file's header (no case is named "")
            mine = [c for c in cases if c.file == f.name]
            for case, lines in zip(mine, per_case, strict=False):
                comments[case.file, case.name] = lines
        _CASES[key] = (cases, comments)
    found: tuple[list[WorkedCase], dict[tuple[str, str], list[str]]] = _CASES[key]
    return found
