"""Explain a result: text for people, JSON for machines, both citing the clause's own words.

Below :mod:`policyrules.result`, whose ``Result.explain()`` and ``Result.to_json()`` call
:func:`explain_text` and :func:`result_json`: a result reaches them as an :class:`Explainable`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from .decisions import CapEvent, Decision
from .explain_en_caps import cap_text_en, money_text_en
from .explain_en_lines import (
    Refused,
    because_en,
    facts_en,
    grant_said,
    head_en,
    pairs_en,
    provision_en,
    quote_en,
    refused_en,
    step_line,
)
from .explain_holds import amount_holds_en, holds_json, once_en
from .explain_order import order_hold_en
from .explain_years import schedule_json, schedule_lines_en
from .runtime.ledger import Earlier, Grant, GrantRow
from .runtime.money import cn_text, yuan_digits
from .runtime.values import format_value
from .terminal import printable, printable_block, printable_lines
from .vocab import EARLIER_READING_EN, ENCOURAGED_EN, ENCOURAGED_STATUSES

__all__ = [
    "Explainable",
    "decision_json",
    "decision_text",
    "explain_text",
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


def _amount(d: Decision) -> str | None:
    if d.kind != "award" or d.status != "eligible":
        return None
    if d.amount_kind == "exact":
        return f"amount: {money_text_en(d.amount)} (exact)"
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
        why = []
        if d.missing_facts or d.missing_parameters:
            why.append("a payment needs a fact, see below")
        later = [str(p.year) for p in d.schedule if p.status == "future" and p.amount is None]
        if later:
            why.append(f"{', '.join(later)} not due yet: known when it comes")
        return f"amount: unknown ({'; '.join(why) or 'a payment needs a fact, see below'})"
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
        lines.append(f"  {cap_text_en(ev)}")
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
        lines.extend(f"    {step_line(st)}" for st in d.trace)
    text = d.quote or d.clause_quote
    if text:
        lines.append(quote_en(text))
    # Ids, text facts and reasons come from the facts: each line is shown escaped, so a
    # control character or a newline in them cannot rewrite or forge a line.
    return "\n".join(printable_lines(lines))


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
        total = 0  # fen
        for g in grants:
            provision, who, amount, year = grant_said(g)
            total += g.amount.fen if isinstance(g, Grant) else g[2]
            rows.append(f"  {provision} {who}: {amount}" + (f" (year {year})" if year else ""))
        # What the grants are, not that a ledger holds them (recorded only where the caller
        # records the result); then their sum.
        summed = f"\n  total: {len(grants)} grant(s), {cn_text(total)}"
        parts.append(
            "Grants of this result (what a ledger records):\n" + printable_block(rows) + summed
        )
    if result.assumptions:
        parts.append(
            "Assumptions used:\n"
            + "\n".join(printable(f"  {k} = {v}") for k, v in result.assumptions)
        )
    if not parts:
        return "No decisions: the facts name no firm, product or other subject.\n"
    parts[-1] += "\n"  # (not the whole text copied again to end it)
    return "\n\n".join(parts)


def _earlier_json(e: Earlier, all_earlier: bool) -> dict[str, Any]:
    """The keys of a cap's JSON that say the earlier claims on it (:func:`decision_json`),
    amounts written from their fen; a cap no claim drew on before, or none undecided, said
    without looking for what is not there."""
    n = len(e)
    if not n:
        return {
            "earlier": [],
            "earlier_count": 0,
            "earlier_claims": 0,
            "earlier_total": yuan_digits(e.total_fen),
            "held": [],
            "held_count": 0,
        }
    pairs = e.pairs_fen() if all_earlier else e.last_claims_fen()
    held = e.hold_count()
    return {
        "earlier": [[s, yuan_digits(fen)] for s, fen in pairs],
        "earlier_count": n,
        "earlier_claims": e.claim_count(),
        "earlier_total": yuan_digits(e.total_fen),
        "held": holds_json(e.holds()) if held else [],
        "held_count": e.claims_held() if held else 0,
    }


def decision_json(d: Decision, *, all_earlier: bool = False) -> dict[str, Any]:
    """One decision as JSON-ready data; money as exact 元 text (``"2000000.00"``).

    A cap's ``earlier`` lists the last 3 claims before this one that drew on it (a
    schedule's payments in an account over all years one claim, with their sum), with
    ``earlier_count`` and ``earlier_total`` of the entries (a claim's, or each payment of a
    schedule) and ``earlier_claims``, the claims they are; ``all_earlier`` lists every
    entry.  ``held`` names the last 3
    undecided claims holding room in it, ``held_count`` how many there are, each once."""
    # Written for speed (the service's and ``eval --json``'s answer, a claim at a time):
    # each amount's text from its fen, in line; the keys in the order they are written.
    amount, amount_min, before = d.amount, d.amount_min, d.granted_before
    out: dict[str, Any] = {
        "provision": d.provision,
        "kind": d.kind,
        "document": d.document,
        "document_number": d.document_number,
        "clause": d.clause_label,
        "title": d.title,
        "subject": d.subject,
        "status": d.status,
        "amount": None if amount is None else yuan_digits(amount.fen),
        "amount_kind": d.amount_kind,
    }
    if amount_min is not None:
        out["amount_min"] = yuan_digits(amount_min.fen)
    if d.schedule:
        out |= schedule_json(d)
    out |= {
        "reasons": list(d.reasons),
        "missing_facts": list(d.missing_facts),
        "missing_parameters": list(d.missing_parameters),
        "granted_before": None if before is None else yuan_digits(before.fen),
        "caps": [_cap_json(ev, all_earlier) for ev in d.caps],
        "facts": dict(d.facts),
        "parameters": dict(d.parameters),
        "assumptions": dict(d.assumptions),
        "due": d.due.isoformat() if d.due else None,
        "done": d.done.isoformat() if d.done else None,
        "margin": d.margin,
        "consequence": d.consequence,
    }
    if d.encouraged:
        out["encouraged"] = True
    out |= {
        "quote": d.quote,
        "clause_text": d.clause_quote,
        "trace": [{"kind": s.kind, "text": s.text, "ok": s.ok} for s in d.trace],
        "exclusivity": d.exclusivity.to_json() if d.exclusivity is not None else None,
    }
    if d.held_by:
        out["held_by"] = holds_json(d.held_by)
    return out


def _cap_json(ev: CapEvent, all_earlier: bool) -> dict[str, Any]:
    """One cap event of :func:`decision_json`."""
    limit, used, requested, granted = ev.limit, ev.used_before, ev.requested, ev.granted
    before, after, note = ev.before, ev.after, ev.detail
    return {
        "cap": ev.cap,
        "scope": ev.scope,
        "limit": None if limit is None else yuan_digits(limit.fen),
        "used_before": None if used is None else yuan_digits(used.fen),
        **_earlier_json(ev.earlier, all_earlier),
        "requested": None if requested is None else yuan_digits(requested.fen),
        "granted": None if granted is None else yuan_digits(granted.fen),
        "binding": ev.binding,
        "before": None if before is None else yuan_digits(before.fen),
        "after": None if after is None else yuan_digits(after.fen),
        "cut": yuan_digits(ev.cut_fen),
        "note": note.describe() if note is not None else None,
    }


def result_json(result: Explainable, *, all_earlier: bool = False) -> dict[str, Any]:
    """The whole result as JSON-ready data (``all_earlier``: see :func:`decision_json`)."""
    return {
        "decisions": [decision_json(d, all_earlier=all_earlier) for d in result.decisions],
        "grants": [g.to_json() for g in result.grants],
        "assumptions": dict(result.assumptions),
    }
