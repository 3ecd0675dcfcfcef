"""A paid claim's English text rendered from its row, without making its decision.

:func:`~policyrules.explain.decision_text` reads a :class:`~policyrules.decisions.Decision`:
to render the text of every claim of an evaluation (issue 10 §1, the explanations a caller
asked for) the evaluator made, for each claim, the decision, its
:class:`~policyrules.decisions.CapEvent` and their :class:`~policyrules.runtime.money.Money`,
only for the text to read them back.  For the frequent claim (a paid award of the fast
path, :mod:`.paid`: exact, nothing granted before, not served at an unknown place in its
order) the text is written here from the row's fen and the plan's facts, by the same
wording functions as :func:`~policyrules.explain.decision_text`, line for line: the text
is the same, character for character (``tests/property/test_row_texts.py``).  Any other
claim returns ``None``: its decision is made and its text read from it.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Any

from ...explain import (
    binds_en,
    cap_line_en,
    facts_en,
    head_en,
    pairs_en,
    provision_en,
    quote_en,
)
from ...explain_order import ORDER_HOLD
from ...instances import Instance
from ...runtime.ledger import Earlier
from ...runtime.money import cn_text
from ...terminal import printable_lines
from .compile import CompiledProvision, Env
from .paid import PaidPlan, paid_facts
from .rows_caps import limit_text

__all__ = ["paid_text"]


def paid_text(
    plan: PaidPlan,
    cp: CompiledProvision,
    inst: Instance,
    make_env: Callable[[], Env],
    row: tuple[Any, ...],
    rates: Container[str],
    assumed_of: Callable[[set[str], bool], tuple[tuple[str, str], ...]],
    params: tuple[tuple[str, str], ...],
) -> str | None:
    """``decision_text`` of the decision :func:`~.paid.paid_decision` makes of the paid
    ``row`` (the same arguments), or ``None`` where that decision must be made to say it
    (an amount up to, an earlier grant of the provision, a claim served at an unknown
    place: their lines read the trace or the caps' holds)."""
    lead, static = row[11], plan.static
    if (
        row[3] != "eligible"
        or static["kind"] != "award"
        or row[5] != "exact"
        or row[7]
        or (lead is not None and lead.kind == ORDER_HOLD)
    ):
        return None
    read = paid_facts(plan, cp, inst, make_env, row, rates)
    if read is None:
        return None
    facts, used, _ = read
    head = head_en("eligible", static["document_number"], static["document"],
                   static["clause"], static["title"])  # fmt: skip
    subject = "/".join([i for _, i in row[2]])
    amount = row[4]
    lines = [
        f"{head} · {subject}" if subject else head,
        provision_en(static["provision"], static["kind"]),
        f"  amount: {cn_text(amount)} (exact)",
    ]
    for cap, scope, year, limit, was, log, stop, before, after in row[6]:
        if scope is None:
            where = "this claim"
        else:  # as rows_caps.cap_steps_fast says the scope
            entity, ident = scope[-1]
            where = f"{entity} {ident}" if year is None else f"{entity} {ident}, year {year}"
        line = cap_line_en(
            cap.text,
            where,
            limit_text(limit),
            cn_text(was) if was else None,
            Earlier(log, stop).describe() if log is not None and stop else None,
            binds_en(before, after) if after < before else None,
        )
        lines.append(f"  {line}")
    if facts:
        lines.append(facts_en(facts))
    if params:
        lines.append(pairs_en("parameters", params))
    assumed = assumed_of(used, False)
    if assumed:
        lines.append(pairs_en("assumptions", assumed))
    text = static["quote"] or static["clause_quote"]
    if text:
        lines.append(quote_en(text))
    return "\n".join(printable_lines(lines))
