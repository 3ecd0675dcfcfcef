"""Check exclusivity, cumulation and supersession (issue 11 §6), and warn of overlaps.

``exclusive A, B among E keep highest|listed [ties by listed]`` and ``cumulative A, B
"reason"`` stand in a clause; ``supersedes DOC [LABEL]`` in a document's header.  Errors:
E294 (an award name that is unknown, ambiguous or not an award), E295 (``among`` names no
entity, or one that is not the subject of every award or an owner of it), E296 (two awards
declared both exclusive and cumulative), E297 (a superseded document or clause that is not in
the policy, or the document itself), E298 (the superseding document has no first day:
neither ``valid from`` nor ``issued``), E299 (it supersedes a document that starts later:
以此为准 reaches only what was issued before), E289 (a ``cumulative`` without a reason).

Warning W290: two awards pay for the same thing — each record of the same entity, a share of
the same money fact (a cost, an investment) — nothing in their conditions keeps them apart
(an enum fact required to take values no record has for both), and no ``exclusive`` or
``cumulative`` statement is between them: the text must say which.  Where one's document says
``prevails over earlier`` and the other's is earlier, the warning is W263
(:mod:`.check_prevails`).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from itertools import combinations, islice

from . import syntax as s
from .check_exclusive_words import unsaid_exclusivity
from .check_prevails import prevailing_documents, prevails_between, prevails_warning
from .errors import Diagnostic, Span, did_you_mean
from .model import CheckedPolicy, ClauseInfo, ProvisionInfo
from .model_exclusive import CumulativeInfo, ExclusiveGroup, Exclusivity, Supersession

__all__ = ["bases", "check_exclusivity", "enum_guards", "overlaps"]

Report = Callable[[str, str, Span | None, str | None], None]


def check_exclusivity(
    base: CheckedPolicy,
    clauses: Sequence[ClauseInfo],
    modules: Sequence[s.Module],
    error: Report,
) -> tuple[Exclusivity, list[Diagnostic]]:
    """The policy's :class:`Exclusivity` and its W290 and W268 warnings; errors go to
    ``error``."""
    provisions = [p for c in clauses for p in c.provisions]
    groups: list[ExclusiveGroup] = []
    cumulative: list[CumulativeInfo] = []
    for c in clauses:
        for st in c.node.body if c.node else ():
            where = st.span.with_clause(c.path) if st.span else None
            if isinstance(st, s.Exclusive):
                ids = _awards(st.awards, provisions, where, error)
                if ids is not None and _among(base, st.among, ids, provisions, where, error):
                    groups.append(
                        ExclusiveGroup(ids, st.among, st.keep, st.ties, c.id, c.quote, where)
                    )
            elif isinstance(st, s.Cumulative):
                ids = _awards(st.awards, provisions, where, error)
                if not st.reason.strip():
                    error(
                        "E289",
                        "a cumulative statement gives no reason",
                        where,
                        "quote the words that allow both (可叠加享受), or name the assumption",
                    )
                elif ids is not None:
                    cumulative.append(CumulativeInfo(ids, st.reason, c.id, where))
    for g in groups:
        for k in cumulative:
            both = [a for a in g.awards if a in k.awards]
            if len(both) >= 2:
                error(
                    "E296",
                    f"{both[0]} and {both[1]} are declared both exclusive and cumulative",
                    k.span,
                    f"the exclusive statement is at {g.span}; keep the one the text says",
                )
    supersessions = _supersessions(base, clauses, modules, error)
    prevailing = prevailing_documents(base, modules, error)
    found = Exclusivity(tuple(groups), tuple(cumulative), tuple(supersessions), prevailing)
    warnings = _overlap_warnings(base, provisions, found)
    return found, warnings + unsaid_exclusivity(clauses, found)


def _awards(
    names: tuple[str, ...],
    provisions: list[ProvisionInfo],
    where: Span | None,
    error: Report,
) -> tuple[str, ...] | None:
    ids: list[str] = []
    awards = sorted({p.name for p in provisions if p.kind == "award"})
    for name in names:
        found = [p for p in provisions if p.name == name]
        if not found:
            msg = f"no award '{name}' in this policy"
            error("E294", msg, where, did_you_mean(name, awards))
            return None
        if len(found) > 1:
            others = ", ".join(p.id for p in found)
            error("E294", f"award name '{name}' is ambiguous: {others}", where, "rename one")
            return None
        if found[0].kind != "award":
            msg = f"'{name}' is a {found[0].kind}, not an award: it pays nothing"
            error("E294", msg, where, "list awards only")
            return None
        ids.append(found[0].id)
    return tuple(ids)


def _among(
    base: CheckedPolicy,
    among: str,
    ids: tuple[str, ...],
    provisions: list[ProvisionInfo],
    where: Span | None,
    error: Report,
) -> bool:
    if base.entity(among) is None:
        hint = did_you_mean(among, [e.name for e in base.entities])
        error("E295", f"among: no entity '{among}'", where, hint)
        return False
    by_id = {p.id: p for p in provisions}
    for pid in ids:
        subject = by_id[pid].subject
        if among not in [e.name for e in base.chain(subject)]:
            error(
                "E295",
                f"among {among}: {pid} pays for each {subject}, which is not a {among} "
                f"nor owned by one",
                where,
                "name the entity whose one record may be paid only once: the awards' "
                "subject or an owner of it",
            )
            return False
    return True


def _supersessions(
    base: CheckedPolicy,
    clauses: Sequence[ClauseInfo],
    modules: Sequence[s.Module],
    error: Report,
) -> list[Supersession]:
    ids = {c.id for c in clauses}
    out: list[Supersession] = []
    for m in modules:
        for doc in (i for i in m.items if isinstance(i, s.Document)):
            for st in (x for x in doc.body if isinstance(x, s.Supersedes)):
                by = base.document(doc.name)
                old = base.document(st.document)
                if by is None:
                    continue
                if old is None or old.name == by.name:
                    why = "itself" if old is not None else f"'{st.document}', not in the policy"
                    others = [d.name for d in base.documents if d.name != by.name]
                    hint = did_you_mean(st.document, others) or "load that document too"
                    error("E297", f"supersedes {why}", st.span, hint)
                    continue
                clause = None if st.label is None else f"{old.name}/{st.label}"
                if clause is not None and clause not in ids:
                    msg = f"supersedes: {old.name} has no clause {st.label}"
                    error("E297", msg, st.span, did_you_mean(clause, ids))
                    continue
                since = by.valid_from or by.issued
                if since is None:
                    error(
                        "E298",
                        f"{by.name} supersedes {old.name} but has no first day",
                        st.span,
                        "give it `valid from DATE` (or `issued DATE`): the old rule stops then",
                    )
                    continue
                start = old.valid_from or old.issued
                if start is not None and start > since:
                    error(
                        "E299",
                        f"{by.name} (from {since}) cannot supersede {old.name}, which starts "
                        f"later ({start})",
                        st.span,
                        "以此为准 reaches only rules issued before it",
                    )
                    continue
                out.append(Supersession(by.name, old.name, clause, since, st.span))
    return out


def enum_guards(p: ProvisionInfo, base: CheckedPolicy) -> dict[str, frozenset[str]]:
    """Enum facts ``p``'s conditions require to take given members (``kind = park``,
    ``title in {a, b}``), as fact name -> the members allowed; only the conjuncts every
    eligible claim must meet."""
    out: dict[str, frozenset[str]] = {}
    for line in p.eligible:
        for part in _conjuncts(line.condition):
            fact, members = _guard(part)
            if fact is not None and _is_guard(base, p.subject, fact, members):
                out[fact] = out.get(fact, members) & members
    return out


def overlaps(p: ProvisionInfo, q: ProvisionInfo, base: CheckedPolicy) -> bool:
    """Whether one record may be paid under both ``p`` and ``q`` for the same thing: the
    same subject entity, an amount base in common (:func:`bases`), and no enum fact that
    the two require to take different members."""
    if p.kind != "award" or q.kind != "award" or p.subject is None or p.subject != q.subject:
        return False
    if not bases(p, base) & bases(q, base):
        return False
    return _may_meet(enum_guards(p, base), enum_guards(q, base))


def _may_meet(gp: dict[str, frozenset[str]], gq: dict[str, frozenset[str]]) -> bool:
    """Whether one record may meet both guards (:func:`enum_guards`): no enum fact that the
    two require to take different members."""
    return not any(not (gp[f] & gq[f]) for f in gp.keys() & gq.keys())


def bases(p: ProvisionInfo, base: CheckedPolicy) -> frozenset[str]:
    """The money facts ``p``'s amount reads (``entity.fact``): the cost or investment it
    pays a share of.  Two awards with one in common pay for the same thing."""
    roots: list[s.Node] = []
    for st in (p.amount, p.range, p.minimum):
        if st is not None:
            roots.append(st)
    found: set[str] = set()
    while roots:
        node = roots.pop()
        if isinstance(node, s.Name):
            r = base.resolve(node.parts, p.subject)
            if r is not None and r.kind == "fact" and r.type.kind == "money":
                found.add(f"{r.entity}.{r.name}")
        roots.extend(s.children(node))
    return frozenset(found)


# Awards alike for W290: the same subject, bases (entity.fact), enum guards and document.
_Kind = tuple[str, frozenset[str], frozenset[tuple[str, frozenset[str]]], str]


def _overlap_warnings(
    base: CheckedPolicy, provisions: list[ProvisionInfo], found: Exclusivity
) -> list[Diagnostic]:
    """W290 (W263 where a document prevails) for awards paying for the same thing with
    nothing between them: one W290 an award, naming the earlier ones it overlaps (a policy
    of n such awards says n warnings, not n²), after its W263s (one a pair).

    Whether two awards overlap, and which warning a pair gets, depends only on what makes
    them alike (:data:`_Kind`), so the earlier awards are kept by kind, and an award is
    compared once with each earlier kind sharing one of its bases: the awards of a kind are
    counted, not compared one by one.  Only the pairs an ``exclusive`` or ``cumulative``
    statement names, the W263s and the four awards a W290 names are visited one at a time.
    A policy of n awards of k kinds takes about n·k steps (1,700 awards paying out of one
    fact: one kind, not 1.4 million pairs)."""
    said: dict[str, set[str]] = {}
    for listed in [g.awards for g in found.groups] + [k.awards for k in found.cumulative]:
        for a, b in combinations(listed, 2):
            if a == b:
                continue
            said.setdefault(a, set()).add(b)
            said.setdefault(b, set()).add(a)
    facts: dict[str, frozenset[str]] = {}
    kinds: dict[str, _Kind] = {}  # an award (id) -> its kind
    earlier: dict[_Kind, list[tuple[int, ProvisionInfo]]] = {}  # in the provisions' order
    guards: dict[_Kind, dict[str, frozenset[str]]] = {}
    by_base: dict[tuple[str, str], list[_Kind]] = {}  # (subject, base) -> the kinds paying it
    out: list[Diagnostic] = []
    for n, q in enumerate(provisions):
        # A superseded award is neither warned of nor compared: the text settled it.
        if q.kind != "award" or q.subject is None or found.superseded(q.document, q.clause):
            continue
        facts[q.id], gq = bases(q, base), enum_guards(q, base)
        kind: _Kind = (q.subject, facts[q.id], frozenset(gq.items()), q.document)
        plain: list[_Kind] = []
        prevailed: list[_Kind] = []
        for k in dict.fromkeys(
            k for f in sorted(facts[q.id]) for k in by_base.get((q.subject, f), ())
        ):
            if not _may_meet(guards[k], gq):
                continue  # an enum fact the two require to differ: never both
            between = prevails_between(base, k[3], q.document, found.prevailing)
            (prevailed if between else plain).append(k)
        if plain or prevailed:
            pairs = said.get(q.id, set())
            clause = base.clause(q.clause)
            at = q.node.name_span or q.node.span
            span = at.with_clause(clause.path) if at and clause else at
            for _, p in heapq.merge(*(earlier[k] for k in prevailed), key=_first):
                if p.id not in pairs:
                    common = sorted(facts[p.id] & facts[q.id])
                    w = prevails_warning(base, p, q, found.prevailing, common, span)
                    assert w is not None  # prevails_between said so
                    out.append(w)
            count = sum(len(earlier[k]) for k in plain)
            among = set(plain)
            count -= sum(1 for p in pairs if p in kinds and kinds[p] in among)
            if count:
                merged = heapq.merge(*(earlier[k] for k in plain), key=_first)
                named = list(islice((p for _, p in merged if p.id not in pairs), 4))
                out.append(_w290(named, count, q, facts, span))
        if kind not in earlier:
            earlier[kind], guards[kind] = [], gq
            for f in facts[q.id]:
                by_base.setdefault((q.subject, f), []).append(kind)
        earlier[kind].append((n, q))
        kinds[q.id] = kind
    return out


def _first(item: tuple[int, ProvisionInfo]) -> int:
    return item[0]


def _w290(
    named: list[ProvisionInfo],
    count: int,
    q: ProvisionInfo,
    facts: dict[str, frozenset[str]],
    span: Span | None,
) -> Diagnostic:
    """W290 on ``q``: ``count`` earlier awards overlap it, the first ones ``named`` (up to
    four, in the provisions' order)."""
    p = named[0]
    common = sorted(facts[p.id] & facts[q.id])
    others = ""
    if count > 1:
        more = count - 1
        shown = ", ".join(o.name for o in named[1:4]) + (", …" if more > 3 else "")
        others = f" (and {more} earlier award{'s' if more > 1 else ''} likewise: {shown})"
    return Diagnostic(
        "W290",
        f"{p.name} and {q.name} both pay for each {q.subject} out of {', '.join(common)}, "
        f"and no exclusive or cumulative statement is between them{others}",
        span,
        hint=(
            f"if the text says 不重复支持, write `exclusive {p.name}, {q.name} among "
            f"{q.subject} keep highest`; if it lets both be paid, `cumulative "
            f'{p.name}, {q.name} "the words that say so"`'
        ),
        severity="warning",
    )


def _conjuncts(e: s.Expr) -> list[s.Expr]:
    if isinstance(e, s.And):
        return _conjuncts(e.left) + _conjuncts(e.right)
    return [e]


def _guard(e: s.Expr) -> tuple[str | None, frozenset[str]]:
    if isinstance(e, s.Compare) and e.op == "=":
        left, right = e.left, e.right
        if isinstance(left, s.Name) and isinstance(right, s.Name) and len(right.parts) == 1:
            return left.dotted, frozenset(right.parts)
    if isinstance(e, s.InSet) and not e.negated and isinstance(e.element, s.Name):
        items = e.container.items if isinstance(e.container, s.SetLit) else ()
        names = [i.parts for i in items if isinstance(i, s.Name) and len(i.parts) == 1]
        if items and len(names) == len(items):
            return e.element.dotted, frozenset(n[0] for n in names)
    return None, frozenset()


def _is_guard(base: CheckedPolicy, subject: str | None, fact: str, members: frozenset[str]) -> bool:
    """``fact`` is an enum fact of the subject and every one of ``members`` its member."""
    found = base.resolve(tuple(fact.split(".")), subject)
    if found is None or found.kind != "fact" or found.type.kind != "enum":
        return False
    enum = base.enum(found.type.name or "")
    return enum is not None and members <= set(enum.member_names)
