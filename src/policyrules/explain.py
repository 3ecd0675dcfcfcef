"""Explain a result: text for people, JSON for machines, both citing the clause's own words.

Below :mod:`policyrules.result`, whose ``Result.explain()`` and ``Result.to_json()`` call
:func:`explain_text` and :func:`result_json`: a result reaches them as an :class:`Explainable`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from .decisions import CapEvent, Decision
from .explain_holds import amount_holds_en, holds_json, once_en
from .explain_order import order_hold_en
from .explain_years import schedule_json, schedule_lines_en
from .runtime.ledger import Grant, GrantRow
from .runtime.money import Money, cn_text, yuan_digits
from .runtime.values import NONE_TEXT, format_value
from .terminal import printable, printable_block, printable_lines
from .vocab import EARLIER_READING_EN, ENCOURAGED_EN, ENCOURAGED_STATUSES, NONE_EN

__all__ = [
    "Explainable",
    "Refused",
    "because_en",
    "binds_en",
    "cap_head_en",
    "cap_line_en",
    "cap_tail_en",
    "cap_tail_put_en",
    "decision_json",
    "decision_text",
    "explain_text",
    "fact_leads_en",
    "facts_en",
    "grant_said",
    "head_en",
    "pairs_en",
    "provision_en",
    "quote_en",
    "refused_en",
    "result_json",
]


class Explainable(Protocol):
    """What is explained: the decisions of one evaluation, the grants it adds to the ledger
    and the assumptions it used, ``(name, value text)``; a :class:`~policyrules.result.Result`."""

    @property
    def decisions(self) -> tuple[Decision, ...]: ...
    @property
    def grants(self) -> tuple[Grant, ...]: ...
    @property
    def assumptions(self) -> tuple[tuple[str, str], ...]: ...


_STATUS = {
    "eligible": "ELIGIBLE",
    "not_eligible": "NOT ELIGIBLE",
    "unknown": "UNKNOWN",
    "met": "MET",
    "not_met": "NOT MET",
    "pending": "DUE",
}


def _label(label: str) -> str:
    """A measure as the document prints it: 第3条 for 3., but (六) as it stands."""
    return label if label.startswith("(") else f"第{label}条"


def _amount(d: Decision) -> str | None:
    if d.kind != "award" or d.status != "eligible":
        return None
    if d.amount_kind == "exact":
        return f"amount: {_money_text(d.amount)} (exact)"
    if d.amount_kind == "range":
        return (
            f"amount: at least {format_value(d.amount_min)}, at most {format_value(d.amount)} "
            f"(a range: decided by {', '.join(d.missing_facts + d.missing_parameters) or '—'})"
        )
    if d.amount_kind == "up_to":
        why = []
        if d.missing_parameters:
            why.append("open parameter " + ", ".join(d.missing_parameters))
        if d.missing_facts:
            why.append("missing " + ", ".join(d.missing_facts))
        if (held := amount_holds_en(d)) is not None:
            why.append(held)
        if d.held_by:
            why.append(once_en(d.held_by))
        if not why and d.exclusivity is not None:
            why.append("another award of its exclusive group may still be the one paid (below)")
        if not why:
            why.append("the text fixes only ceilings")
        return f"amount: up to {format_value(d.amount)} (a bound, not an award: {'; '.join(why)})"
    if d.schedule:
        return "amount: unknown (a payment needs a fact, see below)"
    return "amount: unknown (no cap could be computed)"


def _earlier(d: Decision) -> str:
    """The line of an earlier grant of the provision to the subject: the trace's step that
    deducted it, with the encoding's reading said (:data:`~policyrules.vocab.EARLIER_READING_EN`),
    or the one that kept it (lower tiers under ``highest_only``); without a trace, the sum."""
    for st in d.trace:
        if st.kind == "entitlement":
            return st.text + EARLIER_READING_EN
        if st.kind == "tiers" and st.ok is None:
            return st.text
    return f"already granted {format_value(d.granted_before)}"


def _money_text(m: Any) -> str:
    """:func:`format_value` of an amount, Money written directly (the frequent case)."""
    return cn_text(m.fen) if type(m) is Money else format_value(m)


def _cap_text(ev: CapEvent) -> str:
    if ev.detail is not None:
        return f"cap {ev.cap} [{ev.scope}]: {ev.detail.describe()}"
    limit = ev.limit
    said = cn_text(limit.fen) if type(limit) is Money else format_value(limit)
    used = ev.used_before
    before, after = ev.before, ev.after
    if not ev.binding:
        binds = None
    elif ev.requested is None:
        binds = "; BINDS: it is the tightest bound"
    elif type(before) is Money and type(after) is Money:  # ev.cut, from the fen
        binds = binds_en(before.fen, after.fen)
    else:
        binds = (
            f"; BINDS: {_money_text(before)} cut by {_money_text(ev.cut)} to {_money_text(after)}"
        )
    earlier = ev.earlier
    return cap_line_en(
        ev.cap,
        ev.scope,
        said,
        # Money's bool, without the call
        _money_text(used) if (used.fen if type(used) is Money else used) else None,
        earlier.describe() if earlier else None,
        binds,
    )


def cap_line_en(
    cap: str, scope: str, limit: str, used: str | None, earlier: str | None, binds: str | None
) -> str:
    """A cap's line of the English text (no note): ``cap`` as written, its ``scope``
    (``firm f1, year 2026``), its ``limit``'s text, what was ``used`` before (``None``:
    nothing), the ``earlier`` claims of this evaluation on it as
    :meth:`~policyrules.runtime.ledger.Earlier.describe` says them (``None``: none), and
    ``binds``, the tail saying it bound (:func:`binds_en`; ``None``: it did not)."""
    return cap_head_en(cap, scope, limit) + cap_tail_en(used, earlier, binds)


def cap_head_en(cap: str, scope: str, limit: str) -> str:
    """The start of :func:`cap_line_en`, all of it for a cap that did nothing more."""
    return f"cap {cap} [{scope}]: limit {limit}"


def cap_tail_en(used: str | None, earlier: str | None, binds: str | None) -> str:
    """The rest of :func:`cap_line_en` (``""``: nothing used, no earlier claim, not bound)."""
    out: list[str] = []
    cap_tail_put_en(out, used, earlier, 0, 0)
    if binds is not None:
        out.append(binds)
    return "".join(out)


def cap_tail_put_en(
    out: list[str], used: str | None, earlier: str | None, before: int, after: int
) -> None:
    """:func:`cap_tail_en` of ``used``, ``earlier`` and, where ``after < before`` (fen),
    :func:`binds_en` of them, put at the end of ``out`` (a paid claim's text from its row
    joins them with its own pieces, not apart first)."""
    if used is not None:
        out += ("; already granted ", used)
    if earlier is not None:
        out += ("; before this claim: ", earlier)
    if after < before:
        cut = cn_text(before - after)
        out += ("; BINDS: ", cn_text(before), " cut by ", cut, " to ", cn_text(after))


def binds_en(before: int, after: int) -> str:
    """The tail of a cap's line that cut a claim from ``before`` to ``after`` fen."""
    out: list[str] = []
    cap_tail_put_en(out, None, None, before, after)
    return "".join(out)


# The lines a provision's decisions share (its heading by status, its provision line, its
# quote; the parameters and assumptions of an evaluation), each made once: a look-up is
# cheaper than an f-string, and a line kept is one whose hash and safety
# (printable_lines) are known.  Bounded.
_SHARED: dict[tuple[Any, ...], str] = {}
_SHARED_MAX = 4096


def _shared(key: tuple[Any, ...]) -> str:
    line = _SHARED.get(key)
    if line is None:
        what = key[0]
        if what == "head":
            _, status, number, document, clause, title = key
            where = f"{number or document} {_label(clause.rsplit('/', 1)[-1])}"
            line = f"[{_STATUS.get(status, status.upper())}] {where}"
            line += f" · {title}" if title else ""
        elif what == "provision":
            line = f"  provision: {key[1]} ({key[2]})"
        elif what in ("parameters", "assumptions"):
            pairs: Any = key[1]  # the decision's parameters or assumptions, (name, text)
            line = f"  {what}: " + "; ".join([f"{k} = {v}" for k, v in pairs])
        else:
            line = f"  text: 「{key[1]}」"
        if len(_SHARED) < _SHARED_MAX:
            _SHARED[key] = line
    return line


def head_en(status: str, number: str | None, document: str, clause: str, title: str | None) -> str:
    """A decision's first line without its subject: ``[ELIGIBLE] 京经信发〔2025〕50号 第3条
    · title`` (``clause``: the clause's id, ``…/3``)."""
    return _shared(("head", status, number, document, clause, title))


def provision_en(provision: str, kind: str) -> str:
    """A decision's provision line: ``  provision: id (award)``."""
    return _shared(("provision", provision, kind))


def quote_en(text: str) -> str:
    """A decision's line citing the text: ``  text: 「…」``."""
    return _shared(("text", text))


# The last parameters' and assumptions' pairs shown, by identity, with their line: the
# decisions of one evaluation share one tuple of each (no hash of the pairs for them).
_LAST: dict[str, tuple[tuple[tuple[str, str], ...], str]] = {}


def pairs_en(what: str, pairs: tuple[tuple[str, str], ...]) -> str:
    """The line of a decision's ``parameters`` or ``assumptions`` (``what``), ``(name,
    value text)`` pairs: ``  assumptions: a = x; b = y``."""
    last = _LAST.get(what)
    if last is not None and last[0] is pairs:
        return last[1]
    line = _shared((what, pairs))
    _LAST[what] = (pairs, line)
    return line


def decision_text(d: Decision, *, verbose: bool = False) -> str:
    """One decision as a block of text; control and bidi characters from the input are
    escaped (:func:`~policyrules.terminal.printable`)."""
    head = head_en(d.status, d.document_number, d.document, d.clause, d.title)
    if d.subject:
        head = f"{head} · {d.subject}"
    lines = [head, provision_en(d.provision, d.kind)]
    if d.encouraged and d.status in ENCOURAGED_STATUSES:
        lines.append(f"  {ENCOURAGED_EN}")
    if d.kind == "award" and d.status == "eligible" and (amount := _amount(d)) is not None:
        lines.append(f"  {amount}")
        if (held := order_hold_en(d)) is not None:
            lines.append(f"  order: {held}")
    if d.due is not None:
        tail = f"; done {d.done}: {d.margin}" if d.done else (f"; {d.margin}" if d.margin else "")
        lines.append(f"  due: {d.due}{tail}")
    elif d.kind != "award" and d.margin:  # (an award has none: a property not read)
        lines.append(f"  {d.margin}")
    if d.consequence and d.status == "eligible":
        lines.append(f"  consequence: {d.consequence}")
    for r in d.reasons:
        lines.append(because_en(r))
    if d.exclusivity is not None:
        lines.append(f"  {d.exclusivity.describe(d.status == 'unknown')}")
    if d.missing_facts:
        lines.append(f"  would be decided by: {', '.join(d.missing_facts)}")
    if d.missing_parameters and d.amount_kind != "up_to":
        lines.append(f"  open parameters: {', '.join(d.missing_parameters)}")
    if d.granted_before:
        lines.append(f"  {_earlier(d)}")
    for ev in d.caps:
        lines.append(f"  {_cap_text(ev)}")
    if d.schedule:
        lines.extend(schedule_lines_en(d))
    if d.facts:
        lines.append(facts_en(d.facts))
    if d.parameters:
        lines.append(pairs_en("parameters", d.parameters))
    if d.assumptions:
        lines.append(pairs_en("assumptions", d.assumptions))
    if verbose:
        lines.append("  trace:")
        for st in d.trace:
            mark = {True: "✓", False: "✗", None: "·"}[st.ok]
            lines.append(f"    {mark} {st.kind}: {st.text}")
    text = d.quote or d.clause_quote
    if text:
        lines.append(quote_en(text))
    # Ids, text facts and reasons come from the facts: each line is shown escaped, so a
    # control character or a newline in them cannot rewrite or forge a line.
    return "\n".join(printable_lines(lines))


def facts_en(facts: tuple[tuple[str, str], ...]) -> str:
    """A decision's facts line (``(name, value text)`` pairs, as it lists them):
    ``  facts: product.approved_on = 2026-03-01; …``, a fact stated none in English."""
    said = "; ".join([f"{k} = {v}" for k, v in facts])
    if NONE_TEXT in said:  # else no value holds it: nothing to replace
        said = "; ".join([f"{k} = {v.replace(NONE_TEXT, NONE_EN)}" for k, v in facts])
    return "  facts: " + said


def fact_leads_en(names: tuple[str, ...]) -> tuple[str, ...]:
    """What :func:`facts_en` writes before each value when it lists the facts ``names``
    (each value's text follows its lead, no fact stated none):
    ``("  facts: product.approved_on = ", "; product.routes = ")``."""
    return tuple(("  facts: " if n == 0 else "; ") + f"{k} = " for n, k in enumerate(names))


def because_en(reason: str) -> str:
    """A line giving a reason a decision holds or not: ``  because: …``."""
    return f"  because: {_en(reason)}"


def _en(text: str) -> str:
    """A reason or fact value for the English text: a fact stated none in English words
    (the evaluator writes it as :data:`~policyrules.runtime.values.NONE_TEXT`)."""
    return text.replace(NONE_TEXT, NONE_EN)


class Refused(str):
    """The line the whole text (:func:`explain_text`) gives a decision not eligible, made
    without the decision (:func:`refused_en`); in ``said``, told apart from a full text."""

    __slots__ = ()


def refused_en(
    number: str | None,
    document: str,
    clause: str,
    provision: str,
    subject: str | None,
    reasons: tuple[str, ...] | list[str],
) -> str:
    """The line of a decision not eligible in the whole text, not escaped: ``  京经信发〔2025〕
    50号 第3条 launch_reward · f1/P1: reasons`` (``clause``: the clause's id)."""
    return (
        f"  {number or document} {_label(clause.rsplit('/', 1)[-1])} "
        f"{provision.rsplit('/', 1)[-1]}"
        f"{' · ' + subject if subject else ''}: {'; '.join(map(_en, reasons))}"
    )


def grant_said(g: Grant | GrantRow) -> tuple[str, str, str, int | None]:
    """A grant's provision, subject (its path's ids joined: ``f1/P1``), amount as a text
    shows it and year, from the grant or from its row as the evaluator keeps it
    (``(provision, path, fen, year)``): alike."""
    if isinstance(g, Grant):
        provision, path, amount, year = g.provision, g.path, format_value(g.amount), g.year
    else:
        provision, path, fen, year = g
        amount = cn_text(fen)  # (format_value of its Money)
    if len(path) == 2:  # (a firm's product, or whatever two levels: most grants)
        return provision, f"{path[0][1]}/{path[1][1]}", amount, year
    return provision, "/".join([i for _, i in path]), amount, year


def explain_text(
    result: Explainable,
    *,
    verbose: bool = False,
    said: list[Decision | str] | None = None,
    granted: Sequence[Grant | GrantRow] | None = None,
) -> str:
    """Every decision: the ones that apply in full, the ones that do not in a line each.

    ``said``: the decisions in order, each made or said without being made: a full text
    (:func:`decision_text`, without the trace: ``Result.decision_texts``), or for one not
    eligible its line (:class:`Refused`); the text is the same.  ``granted``: the grants,
    each made or its row (:func:`grant_said`; ``None``: ``result.grants``)."""
    if said is None:
        said = list(result.decisions)
    parts = []
    brief: list[str] = []
    for d in said:
        if isinstance(d, Refused):
            brief.append(d)
        elif isinstance(d, str):
            parts.append(d)
        elif d.status == "not_eligible":
            brief.append(
                refused_en(
                    d.document_number, d.document, d.clause, d.provision, d.subject, d.reasons
                )
            )
        else:
            parts.append(decision_text(d, verbose=verbose))
    if brief:
        parts.append("Not eligible:\n" + printable_block(brief))
    grants = result.grants if granted is None else granted
    if grants:
        rows = []
        for g in grants:
            provision, who, amount, year = grant_said(g)
            rows.append(f"  {provision} {who}: {amount}" + (f" (year {year})" if year else ""))
        parts.append("Grants this result adds to the ledger:\n" + printable_block(rows))
    if result.assumptions:
        parts.append(
            "Assumptions used:\n"
            + "\n".join(printable(f"  {k} = {v}") for k, v in result.assumptions)
        )
    if not parts:
        return "No decisions: the facts name no firm, product or other subject.\n"
    parts[-1] += "\n"  # (not the whole text copied again to end it)
    return "\n\n".join(parts)


def _money(m: Any) -> str | None:
    return None if m is None else yuan_digits(m.fen)  # str(m.yuan)


def decision_json(d: Decision, *, all_earlier: bool = False) -> dict[str, Any]:
    """One decision as JSON-ready data; money as exact 元 text (``"2000000.00"``).

    A cap's ``earlier`` lists the last 3 claims before this one that drew on it (a
    schedule's payments in an account over all years one claim, with their sum), with
    ``earlier_count`` and ``earlier_total`` of the entries (a claim's, or each payment of a
    schedule) and ``earlier_claims``, the claims they are; ``all_earlier`` lists every
    entry.  ``held`` names the last 3
    undecided claims holding room in it, ``held_count`` how many there are, each once."""
    return {
        "provision": d.provision,
        "kind": d.kind,
        "document": d.document,
        "document_number": d.document_number,
        "clause": d.clause_label,
        "title": d.title,
        "subject": d.subject,
        "status": d.status,
        "amount": _money(d.amount),
        "amount_kind": d.amount_kind,
        **({"amount_min": _money(d.amount_min)} if d.amount_min is not None else {}),
        **schedule_json(d),
        "reasons": list(d.reasons),
        "missing_facts": list(d.missing_facts),
        "missing_parameters": list(d.missing_parameters),
        "granted_before": _money(d.granted_before),
        "caps": [
            {
                "cap": ev.cap,
                "scope": ev.scope,
                "limit": _money(ev.limit),
                "used_before": _money(ev.used_before),
                "earlier": [
                    [s, _money(m)]
                    for s, m in (ev.earlier if all_earlier else ev.earlier.last_claims())
                ],
                "earlier_count": len(ev.earlier),
                "earlier_claims": ev.earlier.claim_count(),
                "earlier_total": _money(ev.earlier.total),
                "held": holds_json(ev.earlier.holds()),
                "held_count": ev.earlier.claims_held(),
                "requested": _money(ev.requested),
                "granted": _money(ev.granted),
                "binding": ev.binding,
                "before": _money(ev.before),
                "after": _money(ev.after),
                "cut": _money(ev.cut),
                "note": note.describe() if (note := ev.detail) is not None else None,
            }
            for ev in d.caps
        ],
        "facts": dict(d.facts),
        "parameters": dict(d.parameters),
        "assumptions": dict(d.assumptions),
        "due": d.due.isoformat() if d.due else None,
        "done": d.done.isoformat() if d.done else None,
        "margin": d.margin,
        "consequence": d.consequence,
        **({"encouraged": True} if d.encouraged else {}),
        "quote": d.quote,
        "clause_text": d.clause_quote,
        "trace": [{"kind": s.kind, "text": s.text, "ok": s.ok} for s in d.trace],
        "exclusivity": d.exclusivity.to_json() if d.exclusivity is not None else None,
    } | ({"held_by": holds_json(d.held_by)} if d.held_by else {})


def result_json(result: Explainable, *, all_earlier: bool = False) -> dict[str, Any]:
    """The whole result as JSON-ready data (``all_earlier``: see :func:`decision_json`)."""
    return {
        "decisions": [decision_json(d, all_earlier=all_earlier) for d in result.decisions],
        "grants": [g.to_json() for g in result.grants],
        "assumptions": dict(result.assumptions),
    }
