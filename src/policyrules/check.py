"""Check a parsed policy: names, types, units, structure and quotes.

Every problem is collected as a :class:`~policyrules.errors.Diagnostic`; if any is an error,
one :class:`~policyrules.errors.RuleCheckError` carries them all.  The result is a
:class:`~policyrules.model.CheckedPolicy` that the compiler can trust.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TypeVar

import attrs

from . import syntax as s
from . import types as t
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
    ProvisionInfo,
)
from .typing_rules import ExprTyper, Usage

__all__ = ["check", "normalize_quote"]

_ALLOWED = {
    "award": {"quote", "note", "subject", "eligible", "amount", "decided", "cap", "once", "order"},
    "deadline": {"quote", "note", "subject", "eligible", "due", "done"},
    "target": {"quote", "note", "subject", "require"},
    "entitlement": {"quote", "note", "subject", "eligible", "consequence"},
    "declaration": {"quote", "note"},
}
_ROLE = {
    s.Quote: "quote",
    s.Note: "note",
    s.Subject: "subject",
    s.Eligible: "eligible",
    s.Amount: "amount",
    s.AmountDecided: "decided",
    s.Cap: "cap",
    s.Once: "once",
    s.OrderBy: "order",
    s.Due: "due",
    s.Done: "done",
    s.Require: "require",
    s.Consequence: "consequence",
}
_SINGLE = {
    "subject",
    "amount",
    "decided",
    "order",
    "due",
    "done",
    "require",
    "consequence",
    "quote",
}
_WS = re.compile(r"\s+")


def normalize_quote(text: str) -> str:
    """A quote as compared with its source: every kind of white space removed."""
    return _WS.sub("", text.replace("\u3000", ""))


def check(
    modules: Sequence[s.Module],
    *,
    texts: Mapping[str, str] | None = None,
    sources: Mapping[str, str] | None = None,
) -> CheckedPolicy:
    """Check parsed modules; ``texts`` maps each file to its text (for error rendering),
    ``sources`` maps each document's ``source`` path to the official text it quotes."""
    checker = _Checker(dict(texts or {}), dict(sources or {}))
    policy = checker.run(modules)
    errors = [d for d in checker.diags if d.severity == "error"]
    if errors:
        raise RuleCheckError(errors, sources=checker.texts)
    return policy


class _Checker:
    def __init__(self, texts: dict[str, str], sources: dict[str, str]) -> None:
        self.texts = texts
        self.sources = sources
        self.diags: list[Diagnostic] = []

    def error(self, code: str, msg: str, span: Span | None, hint: str | None = None) -> None:
        self.diags.append(Diagnostic(code, msg, span, hint=hint))

    # ---- declarations ----------------------------------------------------------------------

    def run(self, modules: Sequence[s.Module]) -> CheckedPolicy:
        enums = self._enums([i for m in modules for i in m.items if isinstance(i, s.EnumDecl)])
        self.enum_names = {e.name for e in enums}
        entities = self._entities([i for m in modules for i in m.items if isinstance(i, s.Entity)])
        params, assumptions = self._params_and_assumptions(modules)
        documents = [self._document(m) for m in modules]
        base = CheckedPolicy(
            documents=tuple(d for d in documents if d is not None),
            entities=entities,
            enums=enums,
            parameters=params,
            assumptions=assumptions,
            clauses=(),
            sources=dict(self.sources),
        )
        self._check_defaults(base)
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
        return attrs.evolve(
            base,
            clauses=tuple(clauses),
            modules={m.span.file if m.span else str(i): m for i, m in enumerate(modules)},
        )

    def _type(self, ref: s.TypeRef) -> t.Type:
        if isinstance(ref, s.SetType):
            return t.set_of(self._type(ref.element))
        if isinstance(ref, s.ListType):
            return t.list_of(self._type(ref.element))
        if ref.name in t.SCALARS:
            return t.SCALARS[ref.name]
        if ref.name in t.DURATION_UNITS:
            return t.duration(ref.name)
        if ref.name in self.enum_names:
            return t.enum(ref.name)
        known = [*t.SCALARS, *t.DURATION_UNITS, *self.enum_names]
        self.error("E202", f"unknown type '{ref.name}'", ref.span, did_you_mean(ref.name, known))
        return t.ANY

    def _unique(self, what: str, items: Sequence[tuple[str, Span | None]]) -> None:
        first: dict[str, Span | None] = {}
        for name, span in items:
            if name in first:
                self.error(
                    "E201",
                    f"{what} '{name}' is declared twice",
                    span,
                    f"the first is at {first[name]}",
                )
            else:
                first[name] = span

    def _enums(self, decls: list[s.EnumDecl]) -> tuple[EnumInfo, ...]:
        self._unique("enum", [(d.name, d.span) for d in decls])
        owner: dict[str, str] = {}
        for d in decls:
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
                FactInfo(f.name, d.name, self._type(f.type), f.title, span=f.span)
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

    def _document(self, module: s.Module) -> DocumentInfo | None:
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
        number = next((b.text for b in d.body if isinstance(b, s.DocNumber)), None)
        issued = next((b.date for b in d.body if isinstance(b, s.DocIssued)), None)
        valid = next((b for b in d.body if isinstance(b, s.DocValid)), None)
        source = next((b for b in d.body if isinstance(b, s.DocSource)), None)
        if valid and valid.end and valid.end < valid.start:
            self.error("E214", "a document's validity ends before it starts", valid.span, None)
        if source and source.path not in self.sources:
            self.error(
                "E215",
                f"source file not found: {source.path}",
                source.span,
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
        )

    # ---- clauses and provisions ------------------------------------------------------------

    def _clause(
        self,
        base: CheckedPolicy,
        doc: DocumentInfo,
        chapter: tuple[str, str] | None,
        c: s.Clause,
    ) -> ClauseInfo:
        path = tuple(
            x for x in (doc.number or doc.name, chapter[0] if chapter else None, c.label) if x
        )
        n_before = len(self.diags)
        quotes = [b for b in c.body if isinstance(b, s.Quote)]
        if not quotes:
            self.error(
                "E208",
                f"clause {c.label} has no quote",
                c.span,
                'copy the measure\'s text verbatim: `quote "..."`',
            )
        for extra in quotes[1:]:
            self.error(
                "E209",
                "a clause has one quote",
                extra.span,
                "quote the whole measure once; quote sentences in its provisions",
            )
        quote = quotes[0].text if quotes else None
        if quote is not None and doc.source in self.sources:
            self._quote_in(
                quote, self.sources[doc.source], quotes[0].span, f"the source of {doc.name}"
            )
        cid = f"{doc.name}/{c.label}"
        self._unique("provision", [(p.name, p.span) for p in c.provisions])
        provisions = tuple(self._provision(base, doc, cid, quote, p) for p in c.provisions)
        for i in range(n_before, len(self.diags)):
            d = self.diags[i]
            if d.span is not None:
                self.diags[i] = attrs.evolve(d, span=d.span.with_clause(path))
        return ClauseInfo(
            cid,
            doc.name,
            c.label,
            c.title,
            chapter,
            quote,
            tuple(b.text for b in c.body if isinstance(b, s.Note)),
            tuple(b.name for b in c.body if isinstance(b, s.Parameter)),
            tuple(b.name for b in c.body if isinstance(b, s.Assumption)),
            provisions,
            path,
            span=c.span,
            node=c,
        )

    def _quote_in(self, quote: str, source: str, span: Span | None, where: str) -> None:
        q, src = normalize_quote(quote), normalize_quote(source)
        if q in src:
            return
        good = 0
        while good < len(q) and q[: good + 1] in src:
            good += 1
        shown = q[max(0, good - 8) : good + 4]
        self.error(
            "E211",
            f"the quote is not in {where}",
            span,
            f"it matches up to character {good + 1}, near '{shown}': copy the text "
            "verbatim (white space may differ)",
        )

    def _provision(
        self,
        base: CheckedPolicy,
        doc: DocumentInfo,
        cid: str,
        clause_quote: str | None,
        p: s.Provision,
    ) -> ProvisionInfo:
        allowed = _ALLOWED[p.kind]
        roles: dict[str, list[s.Stmt]] = {}
        for st in p.body:
            role = _ROLE[type(st)]
            if role not in allowed:
                self.error(
                    "E210",
                    f"`{_word(role)}` has no meaning in a {p.kind}",
                    st.span,
                    f"a {p.kind} takes: {', '.join(sorted(_word(r) for r in allowed))}",
                )
            roles.setdefault(role, []).append(st)
        for role in _SINGLE:
            for extra in roles.get(role, [])[1:]:
                self.error("E209", f"a provision has one `{_word(role)}`", extra.span, None)
        subject_st = roles.get("subject", [None])[0]
        subject = subject_st.entity if isinstance(subject_st, s.Subject) else None
        if subject is not None and base.entity(subject) is None:
            self.error(
                "E203",
                f"unknown entity '{subject}'",
                subject_st.span if subject_st else None,
                did_you_mean(subject, [e.name for e in base.entities]),
            )
            subject = None
        need = {
            "award": ["subject"],
            "deadline": ["subject", "due"],
            "target": ["require"],
            "entitlement": ["consequence"],
        }.get(p.kind, [])
        for role in need:
            if role not in roles:
                self.error("E208", f"a {p.kind} needs `{_word(role)}`", p.span, None)
        if p.kind == "award" and "amount" not in roles and "decided" not in roles:
            self.error(
                "E208",
                "an award needs `amount <money>` or `amount decided <fact>`",
                p.span,
                "where the text fixes only ceilings, the amount is decided",
            )
        if "amount" in roles and "decided" in roles:
            self.error("E209", "an award has one amount", roles["decided"][0].span, None)
        typer = ExprTyper(base, subject, doc, self.error)
        usage = Usage()
        for st in p.body:
            self._statement(typer, usage, base, subject, st)
        quote = next((q.text for q in roles.get("quote", []) if isinstance(q, s.Quote)), None)
        if quote is not None and clause_quote is not None:
            self._quote_in(quote, clause_quote, roles["quote"][0].span, "the clause's quote")
        self._one_year_basis([c for c in roles.get("cap", []) if isinstance(c, s.Cap)])

        def first(role: str) -> s.Stmt | None:
            return roles.get(role, [None])[0]

        order = first("order")
        cons = first("consequence")
        return ProvisionInfo(
            id=f"{cid}/{p.name}",
            kind=p.kind,
            name=p.name,
            title=p.title,
            document=doc.name,
            clause=cid,
            subject=subject,
            quote=quote,
            notes=tuple(n.text for n in roles.get("note", []) if isinstance(n, s.Note)),
            eligible=tuple(e for e in roles.get("eligible", []) if isinstance(e, s.Eligible)),
            amount=_as(first("amount"), s.Amount),
            decided=_as(first("decided"), s.AmountDecided),
            caps=tuple(c for c in roles.get("cap", []) if isinstance(c, s.Cap)),
            once=tuple(o for o in roles.get("once", []) if isinstance(o, s.Once)),
            order=order.keys if isinstance(order, s.OrderBy) else (),
            due=_as(first("due"), s.Due),
            done=_as(first("done"), s.Done),
            require=_as(first("require"), s.Require),
            consequence=cons.text if isinstance(cons, s.Consequence) else None,
            facts=tuple(sorted(usage.facts)),
            parameters=tuple(sorted(usage.parameters)),
            assumptions=tuple(sorted(usage.assumptions)),
            node=p,
        )

    def _statement(
        self,
        typer: ExprTyper,
        usage: Usage,
        base: CheckedPolicy,
        subject: str | None,
        st: s.Stmt,
    ) -> None:
        chain = [e.name for e in base.chain(subject)]

        def in_chain(name: str, span: Span | None) -> None:
            if name not in chain:
                self.error(
                    "E207",
                    f"'{name}' is not the subject or one of its owners",
                    span,
                    f"use one of: {', '.join(chain)}" if chain else "add `for each ...`",
                )

        match st:
            case s.Eligible(condition=c):
                typer.expect(c, t.BOOL, usage, "a condition")
            case s.Require(condition=c):
                typer.expect(c, t.BOOL, usage, "a target")
            case s.Amount(expr=e):
                typer.expect(e, t.MONEY, usage, "an amount")
            case s.AmountDecided(fact=f):
                r = base.resolve((f,), subject)
                if r is None or r.kind != "fact" or r.type != t.MONEY:
                    self.error(
                        "E221",
                        f"'{f}' is not a money fact of {subject or 'the subject'}",
                        st.span,
                        did_you_mean(f, base.names_in_scope(subject))
                        or 'declare it: `fact NAME: money "..."`',
                    )
                else:
                    usage.facts.add(f)
            case s.Cap(limit=lim, per=per, year_of=y):
                got = typer.type_of(lim, usage)
                if got.kind == "rate":
                    self.error(
                        "E206",
                        "a cap in % where money is due",
                        lim.span,
                        "a rate caps nothing alone: write `cap 50% of BASE`",
                    )
                elif got not in (t.MONEY, t.ANY):
                    self.error(
                        "E206",
                        f"a cap must be money, not {got.describe()}",
                        lim.span,
                        "write the unit: `200 万元`",
                    )
                for e in per:
                    in_chain(e, st.span)
                if y is not None:
                    typer.expect(y, t.DATE, usage, "the date that picks the year")
                    if not per:
                        self.error(
                            "E207",
                            "`per year` needs an owner: `per firm per year of D`",
                            st.span,
                            None,
                        )
            case s.Once(entity=e):
                in_chain(e, st.span)
            case s.OrderBy(keys=keys):
                for k in keys:
                    got = typer.type_of(k, usage)
                    if got.kind not in ("date", "number", "money", "text", "rate", "any"):
                        self.error("E204", f"cannot order by {got.describe()}", k.span, None)
            case s.Due(period=d, start=start):
                got = typer.type_of(d, usage)
                if got.kind not in ("duration", "any"):
                    self.error(
                        "E204",
                        f"a period must be a duration, not {got.describe()}",
                        d.span,
                        "write e.g. `30 工作日`, `20 周`, `1 月`",
                    )
                typer.expect(start, t.DATE, usage, "the start of a period")
            case s.Done(date=d):
                typer.expect(d, t.DATE, usage, "a completion date")

    def _one_year_basis(self, caps: list[s.Cap]) -> None:
        from .printer import print_expr

        years = {print_expr(c.year_of): c for c in caps if c.year_of is not None}
        if len(years) > 1:
            later = list(years.values())[1]
            self.error(
                "E223",
                "a provision counts its awards in one year",
                later.span,
                "use the same `per year of D` on every cap of this provision",
            )


def _word(role: str) -> str:
    return {
        "subject": "for each",
        "eligible": "eligible when",
        "decided": "amount decided",
        "order": "order by",
    }.get(role, role)


_T = TypeVar("_T")


def _as(x: object, cls: type[_T]) -> _T | None:
    return x if isinstance(x, cls) else None
