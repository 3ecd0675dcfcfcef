"""Check a parsed policy: names, types, units, structure and quotes.

Every problem is collected as a :class:`~policyrules.errors.Diagnostic`; if any is an error,
one :class:`~policyrules.errors.RuleCheckError` carries them all.  The result is a
:class:`~policyrules.model.CheckedPolicy` that the compiler can trust.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from . import syntax as s
from . import types as t
from .check_clauses import ClauseChecks, normalize_quote
from .check_constants import constant_errors
from .check_defines import check_define_names, collect_defines, unused_defines
from .check_exclusive import check_exclusivity
from .check_pools import check_pools
from .check_tables import check_tables, table_nodes
from .currencies import currency_type
from .errors import Diagnostic, RuleCheckError, Span, did_you_mean
from .model import (
    AssumptionInfo,
    CheckedPolicy,
    ClauseInfo,
    DocumentInfo,
    EntityInfo,
    EnumInfo,
    FactInfo,
    ParameterInfo,
)
from .typing_rules import ExprTyper, Usage

__all__ = ["check", "check_all", "normalize_quote"]


def check(
    modules: Sequence[s.Module],
    *,
    texts: Mapping[str, str] | None = None,
    sources: Mapping[str, str] | None = None,
    source_problems: Mapping[str, Diagnostic] | None = None,
) -> CheckedPolicy:
    """Check parsed modules; ``texts`` maps each file to its text (for error rendering),
    ``sources`` maps each document's ``source`` path to the official text it quotes, and
    ``source_problems`` a refused source path to why (:func:`policyrules.sources.read_source`);
    each is reported at the path string of the ``source`` line that names it."""
    policy, diags = check_all(
        modules, texts=texts, sources=sources, source_problems=source_problems
    )
    errors = [d for d in diags if d.severity == "error"]
    if errors:
        raise RuleCheckError(errors, sources=dict(texts or {}))
    return attrs.evolve(policy, warnings=tuple(d for d in diags if d.severity == "warning"))


def check_all(
    modules: Sequence[s.Module],
    *,
    texts: Mapping[str, str] | None = None,
    sources: Mapping[str, str] | None = None,
    source_problems: Mapping[str, Diagnostic] | None = None,
) -> tuple[CheckedPolicy, tuple[Diagnostic, ...]]:
    """What :func:`check` finds, without raising: the policy as far as it could be checked
    and every diagnostic, in the order found (an editor shows them all while the author
    types).  The policy is for looking names up only: when a diagnostic is an error it must
    not be compiled."""
    checker = _Checker(dict(texts or {}), dict(sources or {}))
    checker.source_problems = dict(source_problems or {})
    policy = checker.run(modules)
    return policy, tuple(checker.diags)


class _Checker(ClauseChecks):
    def __init__(self, texts: dict[str, str], sources: dict[str, str]) -> None:
        self.texts = texts
        self.sources = sources
        self.source_problems: dict[str, Diagnostic] = {}
        self.diags: list[Diagnostic] = []
        self.member_enums: dict[str, str] = {}

    def error(self, code: str, msg: str, span: Span | None, hint: str | None = None) -> None:
        self.diags.append(Diagnostic(code, msg, span, hint=hint))

    # ---- declarations ----------------------------------------------------------------------

    def run(self, modules: Sequence[s.Module]) -> CheckedPolicy:
        enums = self._enums([i for m in modules for i in m.items if isinstance(i, s.EnumDecl)])
        self.enum_names = {e.name for e in enums}
        entities = self._entities([i for m in modules for i in m.items if isinstance(i, s.Entity)])
        params, assumptions = self._params_and_assumptions(modules)
        documents = [self._document(m, assumptions) for m in modules]
        base = CheckedPolicy(
            documents=tuple(d for d in documents if d is not None),
            entities=entities,
            enums=enums,
            parameters=params,
            assumptions=assumptions,
            clauses=(),
            defines=collect_defines(modules, self.error),
            sources=dict(self.sources),
        )
        tables = check_tables(base, list(table_nodes(modules)), self._type, self.error)
        base = attrs.evolve(base, tables=tables)
        self._check_defaults(base)
        for d in base.defines:
            self._declared("define", d.name, d.span)
        check_define_names(base, self.error)
        clauses: list[ClauseInfo] = []
        seen: dict[str, Span | None] = {}
        for module, doc in zip(modules, documents, strict=True):
            chapter: tuple[str, str] | None = None
            for item in module.items:
                if isinstance(item, s.Chapter):
                    chapter = (item.label, item.title)
                elif isinstance(item, s.Clause):
                    if doc is None:
                        self.error(
                            "E214",
                            f"clause {item.label} is not inside a document",
                            item.span,
                            'start the file with `document NAME "title"`',
                        )
                        continue
                    info = self._clause(base, doc, chapter, item)
                    if info.id in seen:
                        self.error(
                            "E220",
                            f"clause {item.label} is defined twice",
                            item.span.with_clause(info.path) if item.span else None,
                            f"the first is at {seen[info.id]}",
                        )
                    seen[info.id] = item.span
                    clauses.append(info)
        self._check_twins(clauses)
        self.diags.extend(check_pools(base, clauses, self.error))
        self.diags.extend(unused_defines(base.defines, modules))
        exclusivity, warnings = check_exclusivity(base, clauses, modules, self.error)
        self.diags.extend(warnings)
        return attrs.evolve(
            base,
            clauses=tuple(clauses),
            exclusivity=exclusivity,
            modules={m.span.file if m.span else str(i): m for i, m in enumerate(modules)},
        )

    def _check_twins(self, clauses: list[ClauseInfo]) -> None:
        ids = {c.id for c in clauses}
        docs = {c.document for c in clauses}
        for c in clauses:
            for st in c.node.body if c.node else ():
                if isinstance(st, s.Twin) and f"{st.document}/{st.label}" not in ids:
                    where = st.span.with_clause(c.path) if st.span else None
                    hint: str | None
                    if st.document not in docs:
                        others = docs - {c.document}
                        hint = did_you_mean(st.document, others) or "load that document too"
                        msg = f"twin: no document '{st.document}' in this policy"
                    else:
                        hint = did_you_mean(f"{st.document}/{st.label}", ids)
                        msg = f"twin: {st.document} has no clause {st.label}"
                    self.error("E224", msg, where, hint)

    def _type(self, ref: s.TypeRef) -> t.Type:
        if isinstance(ref, s.SetType):
            return t.set_of(self._type(ref.element))
        if isinstance(ref, s.ListType):
            return t.list_of(self._type(ref.element))
        if isinstance(ref, s.TableType):
            return t.table_of(self._type(ref.key), self._type(ref.value))
        if ref.bound is not None:
            return self._bounded_rate(ref)
        if ref.currency is not None:
            return currency_type(ref.name, ref.currency, ref.span, self.error)
        if ref.name in t.SCALARS:
            return t.SCALARS[ref.name]
        if ref.name in t.DURATION_UNITS:
            return t.duration(ref.name)
        if ref.name in self.enum_names:
            return t.enum(ref.name)
        known = [*t.SCALARS, *t.DURATION_UNITS, *self.enum_names]
        self.error("E202", f"unknown type '{ref.name}'", ref.span, did_you_mean(ref.name, known))
        return t.ANY

    def _fact_type(self, f: s.FactDecl) -> t.Type:
        """The declared type of a fact; ``T or none`` marks it nullable (E280).  An enum
        cannot have a member ``none``: it is a keyword (E240)."""
        typ = self._type(f.type)
        if not f.none or typ == t.ANY:
            return typ
        if typ.kind not in t.NONE_ABLE or typ.determination:
            self.error(
                "E280",
                f"a {typ.describe()} fact cannot be declared `or none`",
                f.type.span or f.span,
                "false (or an empty set/list) already says it did not happen: drop `or none`",
            )
            return typ
        return attrs.evolve(typ, nullable=True)

    def _bounded_rate(self, ref: s.SimpleType) -> t.Type:
        """``rate up to N%``: a rate that may exceed 100 %, up to a whole N % above 0."""
        bound = ref.bound
        if ref.name != "rate":
            self.error(
                "E227",
                f"only a rate may be declared `up to`, not {ref.name}",
                ref.span,
                "write `rate up to 300%`",
            )
            return t.ANY
        if bound is None or bound != bound.to_integral_value() or bound <= 0:
            self.error(
                "E227",
                f"the bound of a rate is a whole number of percent above 0, not {bound}%",
                ref.span,
                "write e.g. `rate up to 300%`",
            )
            return t.RATE
        return t.Type("rate", bound=int(bound))

    def _enums(self, decls: list[s.EnumDecl]) -> tuple[EnumInfo, ...]:
        self._unique("enum", [(d.name, d.span) for d in decls])
        owner: dict[str, str] = {}
        for d in decls:
            self._declared("enum", d.name, d.name_span or d.span)
            for m in d.members:
                self._declared("enum member", m.name, m.name_span or m.span)
            self._unique(f"member of {d.name}", [(m.name, m.span) for m in d.members])
            for m in d.members:
                if m.name in owner and owner[m.name] != d.name:
                    self.error(
                        "E201",
                        f"enum member '{m.name}' is in both {owner[m.name]} and {d.name}",
                        m.span,
                        "give the members distinct names",
                    )
                owner[m.name] = d.name
        self.member_enums = owner
        return tuple(
            EnumInfo(d.name, d.title, tuple((m.name, m.title) for m in d.members)) for d in decls
        )

    def _entities(self, decls: list[s.Entity]) -> tuple[EntityInfo, ...]:
        self._unique("entity", [(d.name, d.span) for d in decls])
        names = {d.name for d in decls}
        out: list[EntityInfo] = []
        for d in decls:
            places = [b for b in d.body if isinstance(b, s.EntityList | s.EntitySingle)]
            facts = [b for b in d.body if isinstance(b, s.FactDecl)]
            self._declared("entity", d.name, d.name_span or d.span)
            for b in places:
                self._declared("list", b.key, b.name_span or b.span)
            for f in facts:
                self._declared("fact", f.name, f.name_span or f.span)
            if len(places) != 1:
                self.error(
                    "E213",
                    f"entity {d.name} needs exactly one `list` or `single` line",
                    d.span,
                    f"write e.g. `list {d.name}s` or `list {d.name}s of firm`",
                )
            place = places[0] if places else s.EntitySingle(d.name)
            parent = place.parent if isinstance(place, s.EntityList) else None
            if parent is not None and parent not in names:
                self.error(
                    "E213",
                    f"unknown parent entity '{parent}'",
                    place.span,
                    did_you_mean(parent, names),
                )
                parent = None
            self._unique(f"fact of {d.name}", [(f.name, f.span) for f in facts])
            for f in facts:
                if f.name == "id":
                    self.error(
                        "E201",
                        "`id` is every listed entity's own key",
                        f.span,
                        "remove this line: `id` is always there",
                    )
            infos = tuple(
                FactInfo(f.name, d.name, self._fact_type(f), f.title, span=f.span)
                for f in facts
                if f.name != "id"
            )
            out.append(
                EntityInfo(
                    d.name,
                    d.title,
                    place.key,
                    parent,
                    isinstance(place, s.EntitySingle),
                    infos,
                    span=d.span,
                )
            )
        by_name = {e.name: e for e in out}
        for e in out:
            seen, cur = set(), e.name
            while cur in by_name and by_name[cur].parent:
                if cur in seen:
                    self.error("E213", f"entity {e.name} is its own ancestor", e.span, None)
                    break
                seen.add(cur)
                cur = by_name[cur].parent or ""
        return tuple(out)

    def _params_and_assumptions(
        self, modules: Sequence[s.Module]
    ) -> tuple[tuple[ParameterInfo, ...], tuple[AssumptionInfo, ...]]:
        params: list[ParameterInfo] = []
        assumptions: list[AssumptionInfo] = []
        for m in modules:
            for item in m.items:
                owner = None
                decls: Sequence[s.Stmt] = [item]
                if isinstance(item, s.Clause):
                    owner, decls = item.label, item.body
                for d in decls:
                    if isinstance(d, s.Parameter | s.Assumption):
                        what = "parameter" if isinstance(d, s.Parameter) else "assumption"
                        self._declared(what, d.name, d.name_span or d.span)
                    if isinstance(d, s.Parameter):
                        params.append(
                            ParameterInfo(
                                d.name, self._type(d.type), d.default, d.title, owner, span=d.span
                            )
                        )
                    elif isinstance(d, s.Assumption):
                        assumptions.append(
                            AssumptionInfo(
                                d.name,
                                self._type(d.type),
                                d.default,
                                d.rationale,
                                owner,
                                span=d.span,
                            )
                        )
        self._unique(
            "name", [(p.name, p.span) for p in params] + [(a.name, a.span) for a in assumptions]
        )
        return tuple(params), tuple(assumptions)

    def _check_defaults(self, base: CheckedPolicy) -> None:
        typer = ExprTyper(base, None, None, self.error)
        for name, typ, default, span in [
            *((p.name, p.type, p.default, p.span) for p in base.parameters),
            *((a.name, a.type, a.default, a.span) for a in base.assumptions),
        ]:
            if default is None:
                continue
            usage = Usage()
            before = len(self.diags)
            got = typer.type_of(default, usage)
            if usage.facts or usage.parameters or usage.assumptions:
                self.error(
                    "E217",
                    f"the default of '{name}' must be a constant",
                    default.span,
                    "write a literal value: a number, an amount, a date or a member",
                )
            elif not t.comparable(got, typ):
                self.error(
                    "E217",
                    f"the default of '{name}' is {got.describe()}, not {typ.describe()}",
                    default.span or span,
                    None,
                )
            elif len(self.diags) == before:  # well typed: it can be computed now
                self.diags.extend(constant_errors(default, base, None))
            if typ.kind == "rate":
                self._rate_default(name, typ, default)

    def _rate_default(self, name: str, typ: t.Type, default: s.Expr) -> None:
        """A rate default within 0 % and the declared bound (100 % unless `up to`)."""
        bound = 100 if typ.bound is None else typ.bound
        if isinstance(default, s.Neg):
            self.error(
                "E228",
                f"the default of '{name}' is a negative rate",
                default.span,
                "a rate is never below 0%",
            )
        elif isinstance(default, s.RateLit) and default.number > bound:
            self.error(
                "E228",
                f"the default of '{name}' is {default.number}%, above its bound of {bound}%",
                default.span,
                f"declare `{name}: rate up to N%` if the text allows more than {bound}%",
            )

    def _document(
        self, module: s.Module, assumptions: tuple[AssumptionInfo, ...]
    ) -> DocumentInfo | None:
        docs = [i for i in module.items if isinstance(i, s.Document)]
        file = module.span.file if module.span else "<string>"
        for extra in docs[1:]:
            self.error(
                "E214",
                "a file holds one document",
                extra.span,
                "put each document in a file of its own",
            )
        if not docs:
            return None
        d = docs[0]
        self._declared("document", d.name, d.name_span or d.span)
        number = next((b.text for b in d.body if isinstance(b, s.DocNumber)), None)
        issued = next((b.date for b in d.body if isinstance(b, s.DocIssued)), None)
        valid = next((b for b in d.body if isinstance(b, s.DocValid)), None)
        source = next((b for b in d.body if isinstance(b, s.DocSource)), None)
        events = next((b for b in d.body if isinstance(b, s.DocEvents)), None)
        if events is not None:
            known = {a.name: a for a in assumptions}
            info = known.get(events.assumption)
            if info is None or info.type != t.DATE:
                self.error(
                    "E225",
                    f"`events from` needs a date assumption, and '{events.assumption}' is "
                    + ("not one" if info else "not declared"),
                    events.span,
                    did_you_mean(
                        events.assumption,
                        [
                            n
                            for n, a in known.items()
                            if a.type == t.DATE and n != events.assumption
                        ],
                    )
                    or (
                        f"it is {info.type.describe()}; name a date assumption, e.g. "
                        '`assumption events_from: date = 2025-01-01 "why"`'
                        if info
                        else f'declare it: `assumption {events.assumption}: date = DATE "why"`'
                    ),
                )
                events = None
        if valid and valid.end and valid.end < valid.start:
            self.error("E214", "a document's validity ends before it starts", valid.span, None)
        if source and source.path not in self.sources:
            at = source.path_span or source.span
            problem = self.source_problems.get(source.path)
            if problem is not None:
                self.error(problem.code, problem.message, at, problem.hint)
            else:
                self.error(
                    "E215",
                    f"source file not found: {source.path}",
                    at,
                    "the path is relative to the policy directory",
                )
        return DocumentInfo(
            d.name,
            d.title,
            number,
            tuple(b.text for b in d.body if isinstance(b, s.DocAgency)),
            issued,
            valid.start if valid else None,
            valid.end if valid else None,
            source.path if source else None,
            tuple(b.text for b in d.body if isinstance(b, s.Note)),
            file,
            events.assumption if events else None,
            next((b.count for b in d.body if isinstance(b, s.DocMeasures)), None),
        )

    # ---- clauses and provisions ------------------------------------------------------------
