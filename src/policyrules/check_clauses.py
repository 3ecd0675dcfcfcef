"""Checking clauses and provisions: quotes, which statements each provision kind takes.

The second half of :mod:`policyrules.check`, as a mixin of its checker: the first half
builds the symbol tables (enums, entities, parameters, documents) this half resolves against.
Each statement's own types and names are checked by :mod:`policyrules.check_statements`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

import attrs

from . import syntax as s
from .check_amounts import constant_amount_errors, deduction_warnings
from .check_constants import constant_errors, period_errors
from .check_instalments import check_payments
from .check_names import reserved, shadows_member
from .check_quotes import quote_warnings
from .check_statements import check_statement
from .check_tables import check_tiers
from .errors import Diagnostic, Span, did_you_mean
from .model import CheckedPolicy, ClauseInfo, DocumentInfo, ProvisionInfo
from .typing_rules import ExprTyper, Usage

__all__ = ["ClauseChecks", "normalize_quote"]

_ALLOWED = {
    "award": {"quote", "note", "subject", "eligible", "amount", "decided", "cap", "once", "order"}
    | {"minimum", "rounding"}
    | {"tiers", "quota", "limit", "schedule"},
    "deadline": {"quote", "note", "subject", "eligible", "due", "done", "encouraged"},
    "target": {"quote", "note", "subject", "require", "encouraged"},
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
    s.Encouraged: "encouraged",
    s.AmountRange: "amount",
    s.AmountMinimum: "minimum",
    s.Rounding: "rounding",
    s.Tiers: "tiers",
    s.Quota: "quota",
    s.Limit: "limit",
    s.Schedule: "schedule",
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
    "encouraged",
    "quote",
    "minimum",
    "rounding",
    "tiers",
    "quota",
    "limit",
    "schedule",
}
_WS = re.compile(r"\s+")


def normalize_quote(text: str) -> str:
    """A quote as compared with its source: every kind of white space removed."""
    return _WS.sub("", text.replace("\u3000", ""))


class ClauseChecks:
    """Clause and provision checks; the host class provides ``error`` and ``diags``."""

    diags: list[Diagnostic]
    sources: dict[str, str]
    member_enums: dict[str, str]  # each enum member's name -> its enum's name

    def error(self, code: str, msg: str, span: Span | None, hint: str | None = None) -> None:
        raise NotImplementedError

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

    def _declared(self, what: str, name: str, span: Span | None) -> None:
        """E240 if the declared ``name`` is a keyword or literal of the language; E244 if a
        fact, parameter or assumption has the name of an enum member."""
        diag = reserved(what, name, span)
        if diag is None and what in ("fact", "parameter", "assumption"):
            diag = shadows_member(what, name, self.member_enums.get(name), span)
        if diag is not None:
            self.diags.append(diag)

    def _constants(self, base: CheckedPolicy, subject: str | None, st: s.Stmt) -> None:
        """E241–E243: constants in ``st`` that cannot be computed, or make a bad period."""
        found = [
            d
            for e in s.children(st)
            if isinstance(e, s.Expr)
            for d in constant_errors(e, base, subject)
        ]
        if isinstance(st, s.Due) and not found:
            found = period_errors(st.period, base, subject)
        self.diags.extend(found)

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
        self._declared("clause label", c.label, c.name_span or c.span)
        for p in c.provisions:
            self._declared("provision", p.name, p.name_span or p.span)
            for cap in (b for b in p.body if isinstance(b, s.Cap) and b.shared):
                self._declared("pool", cap.shared or "", cap.name_span or cap.span)
        provisions = tuple(self._provision(base, doc, cid, quote, p) for p in c.provisions)
        if quote is not None:
            facts = {f for p in provisions for f in p.facts}
            self.diags.extend(quote_warnings(c, quote, facts, base, doc))
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
            agencies=tuple(b.text for b in c.body if isinstance(b, s.DocAgency)),
            twins=tuple(f"{b.document}/{b.label}" for b in c.body if isinstance(b, s.Twin)),
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
                    f"`{_word(role)}` has no meaning in {_a(p.kind)}",
                    st.span,
                    f"{_a(p.kind)} takes: {', '.join(sorted(_word(r) for r in allowed))}",
                )
            roles.setdefault(role, []).append(st)
        for role in _SINGLE:
            for extra in roles.get(role, [])[1:]:
                self.error("E209", f"a provision has one `{_word(role)}`", extra.span, None)
        onces = [o for o in roles.get("once", []) if isinstance(o, s.Once)]
        for i, o in enumerate(onces):
            if o.entity in {x.entity for x in onces[:i]}:
                self.error(
                    "E209",
                    f"`once per {o.entity}` is written twice",
                    o.span,
                    "remove this line: one `once per` an entity says it",
                )
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
                self.error("E208", f"{_a(p.kind)} needs `{_word(role)}`", p.span, None)
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
        clean = len(self.diags)
        for st in p.body:
            before = len(self.diags)
            check_statement(typer, usage, base, subject, st, self.error)
            if len(self.diags) == before:  # well typed: its constants can be computed
                self._constants(base, subject, st)
                self.diags.extend(deduction_warnings(typer, st))
        if len(self.diags) == clean:  # well typed: its constant range and minimum can be computed
            constant_amount_errors(
                base,
                subject,
                roles.get("amount", []),
                roles.get("minimum", []),
                roles.get("cap", []),
                self.error,
            )
        quote = next((q.text for q in roles.get("quote", []) if isinstance(q, s.Quote)), None)
        if quote is not None and clause_quote is not None:
            self._quote_in(quote, clause_quote, roles["quote"][0].span, "the clause's quote")
        self._one_year_basis([c for c in roles.get("cap", []) if isinstance(c, s.Cap)])
        check_tiers(base, p, self.error)
        check_payments(p, self.error, lambda n: _define_expr(base, subject, n))

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
            range=_as(first("amount"), s.AmountRange),
            minimum=_as(first("minimum"), s.AmountMinimum),
            rounding=_as(first("rounding"), s.Rounding),
            once=tuple(o for o in roles.get("once", []) if isinstance(o, s.Once)),
            order=order.keys if isinstance(order, s.OrderBy) else (),
            due=_as(first("due"), s.Due),
            done=_as(first("done"), s.Done),
            require=_as(first("require"), s.Require),
            consequence=cons.text if isinstance(cons, s.Consequence) else None,
            encouraged="encouraged" in roles,
            tiers=_as(first("tiers"), s.Tiers),
            quota=_as(first("quota"), s.Quota),
            limit=_as(first("limit"), s.Limit),
            schedule=_as(first("schedule"), s.Schedule),
            facts=tuple(sorted(usage.facts)),
            parameters=tuple(sorted(usage.parameters)),
            assumptions=tuple(sorted(usage.assumptions)),
            node=p,
        )

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
        "schedule": "paid",
    }.get(role, role)


_T = TypeVar("_T")


def _as(x: object, cls: type[_T]) -> _T | None:
    return x if isinstance(x, cls) else None


def _a(word: str) -> str:
    """``word`` with its indefinite article: an award, a deadline."""
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def _define_expr(base: CheckedPolicy, subject: str | None, name: s.Name) -> s.Expr | None:
    """The expression of the define ``name`` names, where it names one."""
    r = base.resolve(name.parts, subject)
    info = base.define(r.name) if r is not None and r.kind == "define" else None
    return info.expr if info is not None else None
