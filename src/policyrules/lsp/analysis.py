"""What the language server knows of one policy directory, and what is under the cursor.

A policy is a directory of ``.rule`` files checked together, so a change to one file is
analysed with all its neighbours: :func:`analyse` reads the directory, lets the editor's
unsaved buffers override the files on disk, parses every file and, when all of them parse,
checks the policy with :func:`policyrules.check.check_all` (every diagnostic, and the policy
as far as it could be checked, for looking names up).

Positions here are the library's own: lines and columns from 1, counted in characters
(:class:`~policyrules.errors.Span`); :mod:`policyrules.lsp.server` converts them to and from
the editor's units.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from pathlib import Path

import attrs

from .. import syntax as s
from ..api import document_sources, read_rule_files
from ..check import check_all
from ..errors import Diagnostic, PolicyRulesError, RuleSyntaxError, Span
from ..model import CheckedPolicy, Resolved
from ..parse import parse
from ..sources import MAX_SOURCE_BYTES
from ..typing_base import BUILTINS

__all__ = [
    "Analysis",
    "Scope",
    "Target",
    "Word",
    "analyse",
    "contains",
    "library_text",
    "scope_at",
    "target_at",
    "word_at",
]


_LONE_CR = re.compile(r"\r(?!\n)")


def library_text(text: str) -> str:
    """``text`` with each line end the library would not see as one, a lone ``\r`` (the
    protocol's third line end), made ``\n``: the same length, so offsets still hold, and
    the same lines for the parser as for the editor (the parser took ``\r`` for a space: a
    file of old Mac line ends was one line, its first comment running to the end)."""
    return _LONE_CR.sub("\n", text)


@attrs.frozen
class Analysis:
    """One policy directory as the editor sees it.

    ``texts`` maps each ``.rule`` file (an absolute path) to its text without a byte-order
    mark, an open buffer's over the file's, as the library reads it (:func:`library_text`);
    ``modules`` holds the files that parse; ``diagnostics`` maps a file to its findings
    (every file of ``texts`` has an entry, empty when clean); ``unplaced`` are findings
    without a file (the directory cannot be read).  ``policy`` is ``None`` when a file does
    not parse: its neighbours are then not checked, since every name declared in the broken
    file would be reported missing."""

    directory: Path
    texts: dict[str, str]
    modules: dict[str, s.Module]
    diagnostics: dict[str, tuple[Diagnostic, ...]]
    unplaced: tuple[Diagnostic, ...] = ()
    policy: CheckedPolicy | None = None


def analyse(directory: Path, buffers: Mapping[str, str]) -> Analysis:
    """Read, parse and check the policy in ``directory`` (absolute), ``buffers`` (file ->
    unsaved text) overriding the files on disk; never raises for bad input."""
    texts: dict[str, str] = {}
    unplaced: list[Diagnostic] = []
    try:
        texts.update((f, library_text(t)) for f, t in read_rule_files(directory).items())
    except PolicyRulesError as exc:
        unplaced.extend(exc.diagnostics)
    for file, text in buffers.items():
        if Path(file).parent == directory and file.endswith(".rule"):
            # without the mark, as the files on disk are read
            texts[file] = library_text(text.removeprefix("\ufeff"))
    if texts:  # "no .rule files here" is moot once a buffer is open
        unplaced = [d for d in unplaced if not d.message.endswith("no .rule files here")]
    texts = dict(sorted(texts.items()))  # the order `load` checks them in
    modules: dict[str, s.Module] = {}
    found: dict[str, list[Diagnostic]] = {file: [] for file in texts}
    for file, text in texts.items():
        parsed = _parse(text, file)
        if isinstance(parsed, s.Module):
            modules[file] = parsed
        else:
            found[file].extend(parsed)
    policy = None
    if len(modules) == len(texts) and modules:
        sources, refused = document_sources(modules.values(), directory, MAX_SOURCE_BYTES)
        policy, diags = check_all(
            list(modules.values()), texts=texts, sources=sources, source_problems=refused
        )
        for d in diags:
            if d.span is not None and d.span.file in found:
                found[d.span.file].append(d)
            else:
                unplaced.append(d)
    return Analysis(
        directory,
        texts,
        modules,
        {file: tuple(ds) for file, ds in found.items()},
        tuple(unplaced),
        policy,
    )


def _parse(text: str, file: str) -> s.Module | tuple[Diagnostic, ...]:
    """A file's tree, or its syntax error; the last of each file is kept
    (:class:`_LastTrees`), so a keystroke in one file parses that file alone."""
    return _TREES.parse(text, file)


class _LastTrees:
    """The last parse of each file, for the ``files`` files parsed last.

    One version a file, not every recent one: a tree of a 12,600-line file takes about 7.5 MB,
    and the 64 versions an LRU of texts kept while one file was typed in held them all.
    Trees are frozen values, safe to share between analyses and threads."""

    def __init__(self, files: int) -> None:
        self.files = files
        self._last: OrderedDict[str, tuple[str, s.Module | tuple[Diagnostic, ...]]] = OrderedDict()
        self._lock = threading.Lock()

    def parse(self, text: str, file: str) -> s.Module | tuple[Diagnostic, ...]:
        with self._lock:
            kept = self._last.get(file)
            if kept is not None and kept[0] == text:
                self._last.move_to_end(file)
                return kept[1]
        try:
            tree: s.Module | tuple[Diagnostic, ...] = parse(text, file)
        except RuleSyntaxError as exc:
            tree = exc.diagnostics
        with self._lock:
            self._last[file] = (text, tree)
            self._last.move_to_end(file)
            while len(self._last) > self.files:
                self._last.popitem(last=False)
        return tree


_TREES = _LastTrees(256)


# ---- what is under the cursor ------------------------------------------------------------

# A line's tokens, in the grammar's terms (policyrules.lark): strings and comments are
# skipped whole, so nothing inside a quote is taken for a name.
_TOKEN = re.compile(
    r'"(?:[^"\\\n]|\\.)*"?|#.*|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)'
)


@attrs.frozen
class Word:
    """A (dotted) name on a line: ``parts``, the part the cursor is on (``index``), and
    where that part is (line, columns from 1, ``end`` exclusive)."""

    parts: tuple[str, ...]
    index: int
    line: int
    start: int
    end: int


def word_at(text: str, line: int, col: int) -> Word | None:
    """The name at ``line``/``col`` (from 1; the column just after a name counts), or
    ``None`` in a string, a comment or between names."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    for m in _TOKEN.finditer(lines[line - 1]):
        if m.start() + 1 <= col <= m.end() + 1 and m.group("name"):
            parts = tuple(m.group("name").split("."))
            start = m.start() + 1
            for i, part in enumerate(parts):
                if col <= start + len(part) or i == len(parts) - 1:
                    return Word(parts, i, line, start, start + len(part))
                start += len(part) + 1
    return None


def contains(span: Span | None, line: int, col: int) -> bool:
    """Whether the position lies in ``span`` (its end included: the cursor after a word)."""
    if span is None:
        return False
    return (span.line, span.col) <= (line, col) <= (span.end_line, span.end_col)


@attrs.frozen
class Scope:
    """Where a position is: the clause and provision around it and the entity whose facts
    its names mean (the provision's subject, or the entity being declared)."""

    clause: s.Clause | None = None
    provision: s.Provision | None = None
    entity: str | None = None


def scope_at(module: s.Module, line: int, col: int) -> Scope:
    """The clause, provision and entity around a position of ``module``."""
    for item in module.items:
        if not contains(item.span, line, col):
            continue
        if isinstance(item, s.Entity):
            return Scope(entity=item.name)
        if isinstance(item, s.Clause):
            for p in item.provisions:
                if contains(p.span, line, col):
                    subject = next((st.entity for st in p.body if isinstance(st, s.Subject)), None)
                    return Scope(item, p, subject)
            return Scope(item)
    return Scope()


@attrs.frozen
class Target:
    """What a name refers to: ``kind`` is entity, fact, enum, member, parameter,
    assumption, define, table, clause, provision or builtin; ``owner`` is a fact's entity, a
    member's enum or a provision's clause; ``node`` the declaration (its ``name_span`` is
    where it is written), or for a built-in function the call (it has no declaration)."""

    kind: str
    name: str
    node: s.Node
    file: str
    owner: str | None = None


def _nodes(modules: Mapping[str, s.Module]) -> Iterator[tuple[str, s.Node]]:
    """Every declaration of the policy with its file: entities, facts, enums, members,
    parameters, assumptions, defines and tables (top level or in a clause), clauses and
    provisions."""
    for file, module in modules.items():
        for item in module.items:
            yield file, item
            if isinstance(item, s.Entity):
                yield from ((file, b) for b in item.body if isinstance(b, s.FactDecl))
            elif isinstance(item, s.EnumDecl):
                yield from ((file, m) for m in item.members)
            elif isinstance(item, s.Clause):
                named = s.Parameter | s.Assumption | s.Define | s.Table
                yield from ((file, b) for b in item.body if isinstance(b, named))
                yield from ((file, p) for p in item.provisions)


def _find(
    modules: Mapping[str, s.Module], kind: str, name: str, owner: str | None
) -> Target | None:
    entity: str | None = None
    enum: str | None = None
    clause: str | None = None
    for file, node in _nodes(modules):
        if isinstance(node, s.Entity):
            entity = node.name
        elif isinstance(node, s.EnumDecl):
            enum = node.name
        elif isinstance(node, s.Clause):
            clause = node.label
        hit = (
            (kind == "entity" and isinstance(node, s.Entity) and node.name == name)
            or (kind == "enum" and isinstance(node, s.EnumDecl) and node.name == name)
            or (kind == "parameter" and isinstance(node, s.Parameter) and node.name == name)
            or (kind == "assumption" and isinstance(node, s.Assumption) and node.name == name)
            or (kind == "define" and isinstance(node, s.Define) and node.name == name)
            or (kind == "table" and isinstance(node, s.Table) and node.name == name)
            or (
                kind == "fact"
                and isinstance(node, s.FactDecl)
                and node.name == name
                and owner in (None, entity)
            )
            or (
                kind == "member"
                and isinstance(node, s.EnumMember)
                and node.name == name
                and owner in (None, enum)
            )
            or (kind == "provision" and isinstance(node, s.Provision) and node.name == name)
        )
        if hit:
            owners = {"fact": entity, "member": enum, "provision": clause}
            return Target(kind, name, node, file, owners.get(kind))
    return None


_AMONG = re.compile(r"\bamong\b")


def _named_provision(analysis: Analysis, file: str, scope: Scope, word: Word) -> Target | None:
    """The provision a clause's ``exclusive A, B among E …`` or ``cumulative A, B "…"``
    names at ``word`` (one of the names before ``among``, or before the reason), looked up
    in the whole policy as the checker looks it up (E294)."""
    if scope.clause is None or len(word.parts) != 1:
        return None
    for st in scope.clause.body:
        if not isinstance(st, s.Exclusive | s.Cumulative) or st.span is None:
            continue
        if not contains(st.span, word.line, word.start) or word.parts[0] not in st.awards:
            continue
        lines = analysis.texts.get(file, "").split("\n")[st.span.line - 1 : word.line]
        lines[-1] = lines[-1][: word.start - 1]
        lines[0] = lines[0][st.span.col - 1 :]
        if isinstance(st, s.Exclusive) and _AMONG.search("\n".join(lines)):
            return None  # `among E`: an entity
        return _find(analysis.modules, "provision", word.parts[0], None)
    return None


def _from_resolved(modules: Mapping[str, s.Module], r: Resolved) -> Target | None:
    if r.kind == "fact":
        return _find(modules, "fact", r.name, r.entity)
    if r.kind == "member":
        return _find(modules, "member", r.member or "", r.name)
    return _find(modules, r.kind, r.name, None)


def _written_at(module: s.Module, word: Word) -> s.Table | s.TableAt | s.Reaches | s.Call | None:
    """The table declared or used (``T[x]``, ``x reaches T``), or the function called, whose
    name is ``word``: a table's name is not resolved as the other names are (a fact of
    the same name would win), and a function's not at all."""
    line, col = word.line, word.start
    todo: list[s.Node] = list(module.items)
    while todo:
        node = todo.pop()
        if node.span is not None and not contains(node.span, line, col):
            continue
        if isinstance(node, s.Table | s.TableAt | s.Reaches) and contains(
            node.name_span, line, col
        ):
            return node
        if (
            isinstance(node, s.Call)
            and node.span
            and (node.span.line, node.span.col) == (line, col)
        ):
            return node
        todo.extend(s.children(node))
    return None


def target_at(analysis: Analysis, file: str, line: int, col: int) -> Target | None:
    """The declaration the position names: a name in an expression (resolved in the scope
    of the provision around it, as the checker resolves it), a declared name, an entity or
    enum named in a statement or type, a table (declared or given as a parameter) where it
    is declared or read, a clause label or a provision name (where it is declared, or
    named by a clause's ``exclusive`` or ``cumulative``); or the built-in function called."""
    module = analysis.modules.get(file)
    policy = analysis.policy
    if module is None or policy is None:
        return None
    scope = scope_at(module, line, col)
    if scope.provision is not None and contains(scope.provision.name_span, line, col):
        return Target(
            "provision",
            scope.provision.name,
            scope.provision,
            file,
            scope.clause.label if scope.clause else None,
        )
    if scope.clause is not None and contains(scope.clause.name_span, line, col):
        return Target("clause", scope.clause.label, scope.clause, file)
    word = word_at(analysis.texts.get(file, ""), line, col)
    if word is None:
        return None
    if (named := _named_provision(analysis, file, scope, word)) is not None:
        return named
    parts = word.parts
    written = _written_at(module, word) if len(parts) == 1 else None
    if isinstance(written, s.Call):
        builtin = written.func in BUILTINS
        return Target("builtin", written.func, written, file) if builtin else None
    if written is not None:
        name = written.name if isinstance(written, s.Table) else written.table
        # as the checker reads it: a declared table, else a parameter of table type
        return _find(analysis.modules, "table", name, None) or _find(
            analysis.modules, "parameter", name, None
        )
    if len(parts) == 2 and word.index == 0:
        return _find(analysis.modules, "entity", parts[0], None) or _find(
            analysis.modules, "enum", parts[0], None
        )
    resolved = policy.resolve(parts, scope.entity)
    if resolved is not None and resolved.kind != "document":
        return _from_resolved(analysis.modules, resolved)
    if len(parts) != 1:
        return None
    (name,) = parts
    for kind in ("entity", "enum", "parameter", "assumption", "define", "table", "fact"):
        if (found := _find(analysis.modules, kind, name, None)) is not None:
            return found
    return None
