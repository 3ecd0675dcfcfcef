"""A claim's English text rendered from its row, without making its decision.

:func:`~policyrules.explain.decision_text` reads a :class:`~policyrules.decisions.Decision`:
to render the text of every claim of an evaluation (issue 10 §1, the explanations a caller
asked for) the evaluator made, for each claim, the decision, its
:class:`~policyrules.decisions.CapEvent` and their :class:`~policyrules.runtime.money.Money`,
only for the text to read them back.  For the frequent claims, the text is written here
from the row, by the same wording functions as :func:`~policyrules.explain.decision_text`,
line for line: a paid award of the fast path (:mod:`.paid`: exact, nothing granted before,
not served at an unknown place in its order) from the row's fen and the plan's facts; a
claim a condition refused (:mod:`.failed`) from its reasons, in full or as its line of the
whole text (:func:`refused_line`).  The text is the same, character for character
(``tests/property/test_row_texts_props.py``).  Any other claim returns ``None``: its
decision is made and its text read from it.

The lines a provision's claims share are made once (:func:`fixed_lines`), escaped once; a
cap's line up to its limit once per cap, scope and limit.  Escaping is character by
character (:func:`~policyrules.terminal.printable`), so a text whose pieces from the facts
(ids, text facts) hold nothing to escape is the text
:func:`~policyrules.terminal.printable_lines` gives.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Any

from ...explain_en_caps import cap_head_en, cap_tail_put_en
from ...explain_en_lines import (
    Refused,
    because_en,
    fact_leads_en,
    facts_en,
    head_en,
    pairs_en,
    provision_en,
    quote_en,
    refused_en,
)
from ...explain_order import ORDER_HOLD
from ...instances import Instance
from ...runtime.money import cn_text
from ...runtime.values import Value
from ...terminal import BREAK, printable, printable_lines, printable_pieces
from .compile import CompiledProvision, Env
from .paid import PaidPlan, paid_facts
from .rows_caps import limit_text
from .texts_en_gen import paid_said_en
from .texts_gen import ABSENT, GENERAL, FactsSaid, NotSaid, facts_said_en, value_text

__all__ = [
    "Fixed",
    "PaidSaid",
    "Render",
    "Run",
    "failed_text",
    "fixed_lines",
    "paid_text",
    "refused_body",
    "refused_line",
]

# A provision's lines every text of one status shows, escaped: its head (status, document,
# clause, title), its provision line and its quote's line (None: no quote); the facts a
# paid plan shows (PaidPlan.shown), each with what the facts' line writes before it, and
# the function generated to say that line (texts_gen; None: the loop says it).
Fixed = tuple[str, str, str | None, tuple[tuple[str, str, str, bool, str], ...], FactsSaid | None]

# What every paid claim's text of a provision needs (rows_said.Said._paid_said): its plan,
# its Fixed lines, its parameters' texts, and the functions of .texts_en_gen made for it
# (by the shape of its caps).
PaidSaid = tuple[PaidPlan, Fixed, tuple[tuple[str, str], ...], dict[tuple[bool, ...], Any]]
# A paid row's text from it and its tail (None: the loop says it), see .texts_en_gen.
Render = Callable[[tuple[Any, ...], tuple[str, list[str]]], str | None]

# What the English texts of one call (rows_said.Said.said_en) share, for paid_text: how to
# make a subject's Env, the rate facts, how the assumptions read are said, whether every
# id of the facts holds nothing to escape, and the evaluation's one-item list keeping the
# last claim's assumptions and their texts.
Run = tuple[
    Callable[[CompiledProvision, Instance], Env],
    Container[str],
    Callable[[set[str], bool], tuple[tuple[str, str], ...]],
    bool,
    list[Any],
]


def fixed_lines(
    static: dict[str, Any],
    status: str,
    shown: tuple[tuple[str, str, str, bool], ...] = (),
    want: str | None = None,
    kinds: tuple[str | None, ...] = (),
) -> Fixed:
    """The :data:`Fixed` lines of the decisions of ``status`` of a provision of fixed
    fields ``static`` (``Rows._static``); ``shown``: the facts a paid plan shows, ``want``:
    the fact that is its amount (``PaidPlan.amount_fact``), ``kinds``: each fact's
    declared kind (:func:`~.texts_gen.facts_said_en`)."""
    # names of the policy's facts: nothing to escape
    leads = fact_leads_en(tuple(key for key, *_ in shown))
    head = head_en(status, static["document_number"], static["document"],
                   static["clause"], static["title"])  # fmt: skip
    text = static["quote"] or static["clause_quote"]
    facts = tuple((*fact, lead) for fact, lead in zip(shown, leads, strict=True))
    return (
        printable(head),
        printable(provision_en(static["provision"], static["kind"])),
        printable(quote_en(text)) if text else None,
        facts,
        facts_said_en(facts, want, kinds),
    )


# A cap's line up to its limit, around the id its scope ends in (or whole, for a cap of
# one claim), by the cap's text, the scope's last entity, its year and the limit's fen, as
# (before the id, after it) escaped: a cap of one product per product is said for each of
# thousands of ids, from the same two parts (escaping is per character, so the parts and
# an id escaped apart are the line escaped whole).  Bounded: few caps, entities and years.
_HEADS: dict[tuple[str, str | None, int | None, int], tuple[str, str]] = {}
_HEADS_MAX = 4096


def _cap_parts(text: str, entity: str | None, year: int | None, limit: int) -> tuple[str, str]:
    key = (text, entity, year, limit)
    got = _HEADS.get(key)
    if got is None:
        if entity is None:
            got = (printable(f"  {cap_head_en(text, 'this claim', limit_text(limit))}"), "")
        else:  # as rows_caps.cap_lines_row says the scope, the id between the parts
            where = f"{entity} \0" if year is None else f"{entity} \0, year {year}"
            before, _, after = cap_head_en(text, where, limit_text(limit)).rpartition("\0")
            got = (printable(f"  {before}"), printable(after))
        if len(_HEADS) < _HEADS_MAX:
            _HEADS[key] = got
    return got


def paid_text(
    run: Run,
    plan_said: PaidSaid,
    cp: CompiledProvision,
    row: tuple[Any, ...],
) -> str | None:
    """``decision_text`` of the decision :func:`~.paid.paid_decision` makes of the paid
    ``row`` of ``cp`` (``plan_said``: its plan, :func:`fixed_lines` of ``plan.static``, its
    parameters' texts; ``run``: what the texts of one call share, :data:`Run`), or ``None``
    where that decision must be made to say it (an amount up to, an earlier grant of the
    provision, a claim served at an unknown place: their lines read the trace or the caps'
    holds)."""
    plan, fixed = plan_said[0], plan_said[1]
    memo = run[4]
    last = memo[0]  # read and written whole: two threads saying one result stay right
    if last is not None and last[1] is plan and last[3] is not None and last[0] == row[12]:
        text: str | None = last[3](row, last[2])  # (most) the claim before's, its tail
        if text is not None:
            return text
    lead = row[11]
    if (
        row[3] != "eligible"
        or plan.static["kind"] != "award"
        or row[5] != "exact"
        or row[7]
        or (lead is not None and lead.kind == ORDER_HOLD)
    ):
        return None
    inst, ids_printable = row[1], run[3]
    head, provision, quote, plan_facts, said_facts = fixed
    path = row[2]
    subject = path[0][1] + "/" + path[1][1] if len(path) == 2 else "/".join([i for _, i in path])
    # The pieces from the facts that may hold a character to escape: a cap's line is kept
    # escaped; money, dates and yes/no are written here; the subject and the earlier claims
    # (ids and amounts) need a look only if some id of the facts holds one.
    shown = [] if ids_printable else [subject]
    facts_line = None
    tail: tuple[str, list[str]] | None = None
    if plan.amount_fact is not None:
        if said_facts is not None:
            facts_line = said_facts(inst, shown)
        else:
            facts_line = _facts_line(inst, plan.amount_fact, plan_facts, shown)
        if facts_line is None:
            return None
        used = row[12]
        if last is not None and last[1] is plan and last[0] == used:
            tail = last[2]  # the same assumptions as the claim before (most often)
        else:
            tail = _tail(plan_said[2], run[2](used | plan.assumed, False), quote)
            render = _renderer(plan_said, row[6]) if ids_printable and said_facts else None
            memo[0] = (frozenset(used), plan, tail, render)  # (tried from the next claim)
    if facts_line is None or facts_line is GENERAL:
        read = paid_facts(plan, cp, inst, run[0], row, run[1])
        if read is None:
            return None
        facts, used, _ = read
        tail = _tail(plan_said[2], run[2](used, False), quote)
        facts_line = facts_en(facts) if facts else ""
        shown.append(facts_line)
    assert tail is not None
    # The text as one list of pieces, joined once, its lines apart by BREAK
    # (terminal.printable_pieces).
    out: list[str] = [head, " · ", subject] if subject else [head]
    out += (BREAK, provision, BREAK, "  amount: ", cn_text(row[4]), " (exact)")
    for cap, scope, year, limit, was, log, stop, before, after in row[6]:
        if scope is None:
            out += (BREAK, (_HEADS.get((cap.text, None, year, limit))
                            or _cap_parts(cap.text, None, year, limit))[0])  # fmt: skip
        else:
            entity, ident = scope[-1]
            parts = _HEADS.get((cap.text, entity, year, limit)) or _cap_parts(
                cap.text, entity, year, limit
            )
            out += (BREAK, parts[0], ident, parts[1])
            if not ids_printable:
                shown.append(ident)
        if was or stop or after < before:
            earlier = log.describe(stop, 3, cap.ceiling) if log is not None and stop else None
            if earlier is not None and not ids_printable:
                shown.append(earlier)
            cap_tail_put_en(out, cn_text(was) if was else None, earlier, before, after)
    if facts_line:
        out += (BREAK, facts_line)
    if not shown or "".join(shown).isprintable():
        out.append(tail[0])
        return "".join(out)
    # (the tail's lines are kept escaped: escaped again, the same)
    out += [piece for line in tail[1] for piece in (BREAK, line)]
    return printable_pieces(out)


def _renderer(plan_said: PaidSaid, caps: tuple[Any, ...]) -> Render:
    """The function :mod:`.texts_en_gen` writes for the paid claims of ``plan_said`` whose
    caps are scoped as those of ``caps`` (a row's), made once (kept by ``plan_said``)."""
    shape = tuple(cap[1] is not None for cap in caps)
    made = plan_said[3]
    render = made.get(shape)
    if render is None:
        head, provision, _, _, said_facts = plan_said[1]
        make = paid_said_en(shape)
        render = make(f"{head} · ", f"\n{provision}\n  amount: ", said_facts, _HEADS,
                      _cap_parts, cap_tail_put_en)  # fmt: skip
        made[shape] = render
    return render


def _facts_line(
    inst: Instance,
    want: str,
    facts: tuple[tuple[str, str, str, bool, str], ...],
    shown: list[str],
) -> str | None:
    """The facts' line of a paid claim of ``inst`` whose amount is the fact ``want``, as
    :func:`~policyrules.explain_en_lines.facts_en` writes the facts :func:`~.paid.paid_facts`
    lists (``facts``: the plan's, each with what the line writes before it: :data:`Fixed`);
    a value's text that may hold a character to escape is added to ``shown``.  ``None``:
    the amount's fact is not read (the general way decides); :data:`~.texts_gen.GENERAL`:
    a fact missing or stated none, or not under the subject (the general way lists them).
    Each value said by :func:`~.texts_gen.value_text`, as the generated line says it."""
    found: Value | None = None
    parts: list[str] = []
    put = parts.append
    for key, owner, name, rate, lead in facts:
        holder: Instance | None = inst
        while holder is not None and holder.entity != owner:
            holder = holder.parent
        if holder is None:
            return GENERAL  # not listed: the leads after it would differ
        value: Any = holder.id if name == "id" else holder.values.get(name, ABSENT)
        if key == want:
            found = value
        try:
            text = value_text(value, rate, shown)
        except NotSaid:  # missing or stated none
            return GENERAL
        put(lead)
        put(text)
    if found is None:
        return None
    return "".join(parts)


def refused_body(
    fixed: Fixed,
    reasons: list[str],
    facts: tuple[tuple[str, str], ...],
    assumed: tuple[tuple[str, str], ...],
    params: tuple[tuple[str, str], ...],
) -> str:
    """The lines of the text of a claim refused for ``reasons`` after its head (the
    provision's line, the reasons, the facts, the parameters, assumptions and quote),
    escaped, each after a newline: the same for every claim refused alike (``fixed``:
    :func:`fixed_lines` of its provision for ``not_eligible``; ``facts``, ``assumed``,
    ``params``: the texts it shows)."""
    provision, quote = fixed[1], fixed[2]
    lines = [provision]
    shown = []
    for reason in reasons:
        said = because_en(reason)
        shown.append(said)
        lines.append(said)
    if facts:
        said = facts_en(facts)
        shown.append(said)
        lines.append(said)
    text = _finish(lines, shown, params, assumed, quote)
    return "\n" + text


def failed_text(fixed: Fixed, row: tuple[Any, ...], body: str, ids_printable: bool) -> str:
    """``decision_text`` of the decision :func:`~.failed.failed_decision` makes of the not
    eligible ``row`` (``fixed``: :func:`fixed_lines` of its provision for
    ``not_eligible``; ``body``: :func:`refused_body` of its reasons; ``ids_printable``:
    as for :func:`paid_text`)."""
    path = row[2]
    subject = path[0][1] + "/" + path[1][1] if len(path) == 2 else "/".join([i for _, i in path])
    if not subject:
        return fixed[0] + body
    head = f"{fixed[0]} · {subject}"
    # escaped line by line, as the whole text: a head holding nothing to escape as it is
    return (head if ids_printable or head.isprintable() else printable(head)) + body


def refused_line(static: dict[str, Any], row: tuple[Any, ...], reasons: list[str]) -> Refused:
    """The line of the whole English text for the not eligible ``row`` refused for
    ``reasons`` (``static``: its provision's fixed fields), as it lists the decision."""
    subject = "/".join([i for _, i in row[2]])
    return Refused(
        refused_en(
            static["document_number"],
            static["document"],
            static["clause"],
            static["provision"],
            subject,
            reasons,
        )
    )


# A parameters' or assumptions' line, escaped, by the identity of its pairs: the decisions
# of one evaluation share one tuple of each.
_PAIRS: dict[str, tuple[tuple[tuple[str, str], ...], str]] = {}


def _pairs(what: str, pairs: tuple[tuple[str, str], ...]) -> str:
    last = _PAIRS.get(what)
    if last is not None and last[0] is pairs:
        return last[1]
    line = printable(pairs_en(what, pairs))
    _PAIRS[what] = (pairs, line)
    return line


def _tail(
    params: tuple[tuple[str, str], ...],
    assumed: tuple[tuple[str, str], ...],
    quote: str | None,
) -> tuple[str, list[str]]:
    """The lines :func:`_finish` adds after a text's own (escaped: the parameters', the
    assumptions', the quote's), joined with a newline before each, and as a list."""
    lines = []
    if params:
        lines.append(_pairs("parameters", params))
    if assumed:
        lines.append(_pairs("assumptions", assumed))
    if quote is not None:
        lines.append(quote)
    return "".join(["\n" + line for line in lines]), lines


def _finish(
    lines: list[str],
    shown: list[str],
    params: tuple[tuple[str, str], ...],
    assumed: tuple[tuple[str, str], ...],
    quote: str | None,
) -> str:
    """The text of ``lines`` and the parameters', assumptions' and quote's lines after
    them; escaped unless nothing ``shown`` from the facts needs it."""
    lines += _tail(params, assumed, quote)[1]
    if not shown or "".join(shown).isprintable():
        return "\n".join(lines)
    return "\n".join(printable_lines(lines))
