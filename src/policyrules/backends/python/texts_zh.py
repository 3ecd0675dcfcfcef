"""A claim's Chinese text rendered from its row, without making its decision.

The Chinese counterpart of :mod:`.texts`, for the whole text a reader gets by default
(``Result.explain()``: :func:`~policyrules.explain_zh.explain_text_zh`).  A paid award of
the fast path (exact, nothing granted before, not served at an unknown place in its order)
is said from its row's fen and the facts its plan reads (:func:`paid_text_zh`); a claim a
condition refused is said by its line, from its reasons (:meth:`.rows_said.Said.text_zh`).
Each piece comes from the functions of :mod:`policyrules.explain_zh` that
:func:`~policyrules.explain_zh.decision_text_zh` says a decision with, so the text is the
same, character for character (``tests/property/test_row_texts_props.py``); any other
claim returns ``None`` and is said from its decision.

What the paid claims of one provision share under one set of assumptions read (their
words, head, caps in words, the parameters', assumptions' and quote's lines) is made once
(:class:`PaidZh`); a scope and a fact's value in words are kept as they are met.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Any

from ...explain_order import ORDER_HOLD
from ...explain_zh import (
    cap_bits_said_zh,
    cap_head_zh,
    earlier_zh,
    facts_said,
    head_zh,
    pairs_lines_zh,
    singles_zh,
    words_for,
)
from ...explain_zh_memo import keep, memos
from ...instances import Instance
from ...runtime.claim_log import UNKNOWN_ZH
from ...runtime.money import cn_text
from ...terminal import printable_lines
from ...vocab import amount_words
from ...words import Words
from .compile import CompiledProvision, Env
from .paid import PaidPlan, paid_facts, shown_facts

__all__ = ["PaidZh", "paid_text_zh"]

# A scope's or a cap's line up to its bits, kept for one PaidZh: bounded.
_LINES_MAX = 4096


class PaidZh:
    """What the Chinese texts of a provision's paid claims share under ``words`` and one
    set of assumptions read (``assumed``, the decisions' ``assumptions``), made once."""

    __slots__ = (
        "assumed",
        "exact",
        "facts",
        "head",
        "lines",
        "p",
        "plan",
        "singles",
        "tail",
        "tail_printable",
        "w",
        "words",
    )

    def __init__(
        self,
        plan: PaidPlan,
        words: Words,
        assumed: tuple[tuple[str, str], ...],
        params: tuple[tuple[str, str], ...],
    ) -> None:
        static = plan.static
        self.plan = plan
        self.words = words
        self.assumed = assumed
        self.w = w = words_for(words, assumed)
        self.p = w.provisions.get(static["provision"])
        self.head = head_zh(w, "eligible", "award", static["document_number"],
                            static["document"], static["clause"], static["title"])  # fmt: skip
        # the amount's words around it (the template has one place for it)
        self.exact = amount_words("exact", "\0", None).split("\0")
        self.tail = pairs_lines_zh(w, params, assumed)
        text = static["quote"] or static["clause_quote"]
        if text:
            self.tail.append(f"  原文：「{text}」")
        self.tail_printable = "".join(self.tail).isprintable()
        self.singles = singles_zh(w)  # a subject said by its title (subject_zh)
        self.facts = memos(w, "fact")  # (fact, value's text) -> its words (facts_said)
        self.lines: dict[tuple[str, str], str] = {}  # (cap, scope) -> the line up to its bits

    def made_for(self, plan: PaidPlan, words: Words, assumed: tuple[tuple[str, str], ...]) -> bool:
        """Whether this is what the claims of ``plan`` share under ``words`` and
        ``assumed`` (the memo finds it by their ids: kept alive here, checked)."""
        return self.plan is plan and self.words is words and self.assumed is assumed

    def cap_line(self, cap: str, where: str, used: str | None, earlier: str | None,
                 binds: tuple[str, ...] | None) -> str:  # fmt: skip
        """:func:`~policyrules.explain_zh.cap_line_zh` of a cap's row, its head
        (:func:`~policyrules.explain_zh.cap_head_zh`) kept by its cap and scope."""
        key = (cap, where)
        line = self.lines.get(key)
        if line is None:
            line = cap_head_zh(self.w, self.p, cap, where)
            if len(self.lines) < _LINES_MAX:
                self.lines[key] = line
        if used is None and earlier is None and binds is None:
            return line
        return line + "：" + "；".join(cap_bits_said_zh(used, earlier, binds))

    def facts_line(self, facts: tuple[tuple[str, str], ...]) -> str:
        """``facts_said`` of the facts' pairs, each pair's words kept as it keeps them."""
        kept = self.facts
        out = []
        for pair in facts:
            said = kept.get(pair)
            if said is None:
                said = facts_said(self.w, (pair,))
                keep(kept, pair, said)
            out.append(said)
        return "；".join(out)


def paid_text_zh(
    plan: PaidPlan,
    cp: CompiledProvision,
    inst: Instance,
    env_of: Callable[[CompiledProvision, Instance], Env],
    row: tuple[Any, ...],
    rates: Container[str],
    assumed_of: Callable[[set[str], bool], tuple[tuple[str, str], ...]],
    params: tuple[tuple[str, str], ...],
    words: Words,
    memo: dict[Any, PaidZh],
    last: list[Any],
) -> str | None:
    """``decision_text_zh(d, words)`` of the decision ``d`` :func:`~.paid.paid_decision`
    makes of the paid ``row`` (the same arguments; ``memo``: the evaluation's
    :class:`PaidZh` by the ids of the plan, the words and the assumptions; ``last``: a
    one-item list keeping the last one found with the assumptions it was found for), or
    ``None`` where that decision must be made to say it (as :func:`~.texts.paid_text`: an
    amount up to, an earlier grant of the provision, a claim served at an unknown place)."""
    lead = row[11]
    if (
        row[3] != "eligible"
        or plan.static["kind"] != "award"
        or row[5] != "exact"
        or row[7]
        or (lead is not None and lead.kind == ORDER_HOLD)
    ):
        return None
    plus: frozenset[str] = frozenset()
    if plan.amount_fact is not None:  # as paid_facts: the plan's assumptions added below
        facts, value = shown_facts(inst, plan.shown, plan.amount_fact)
        if value is None:
            return None
        used, plus = row[12], plan.assumed
    else:
        read = paid_facts(plan, cp, inst, env_of, row, rates)
        if read is None:
            return None
        facts, used, _ = read
    seen = last[0]  # read and written whole: two threads saying one result stay right
    if seen is not None and seen[0] is plan and seen[1] is words and seen[2] == used:
        said = seen[3]  # the same assumptions as the claim before (most often)
    else:
        assumed = assumed_of(used | plus, False)
        key = (id(plan), id(words), id(assumed))
        said = memo.get(key)
        if said is None or not said.made_for(plan, words, assumed):
            said = memo[key] = PaidZh(plan, words, assumed, params)
        last[0] = (plan, words, frozenset(used), said)
    subject = "/".join([i for _, i in row[2]])
    head = said.head
    if subject:
        head += f" —— 对象：{said.singles.get(subject, subject)}"
    before_amount, after_amount = said.exact
    lines = [head, f"  金额：{before_amount}{cn_text(row[4])}{after_amount}"]
    for cap, scope, year, _limit, was, log, stop, before, after in row[6]:
        if scope is None:
            where = "this claim"
        else:  # as rows_caps.cap_steps_fast says the scope
            entity, ident = scope[-1]
            where = f"{entity} {ident}" if year is None else f"{entity} {ident}, year {year}"
        earlier = None
        if log is not None and stop:
            last = log.texts(stop - 3 if stop > 3 else 0, stop, UNKNOWN_ZH)
            earlier = earlier_zh(stop, log.totals[stop], last)
        binds = None
        if after < before:
            binds = (cn_text(before), cn_text(before - after), cn_text(after))
        used_text = cn_text(was) if was else None
        lines.append(f"  {said.cap_line(cap.text, where, used_text, earlier, binds)}")
    if facts:
        lines.append(f"  所依据的情况：{said.facts_line(facts)}")
    # Every character printable_lines escapes is one str.isprintable() refuses.
    if said.tail_printable and "".join(lines).isprintable():
        return "\n".join(lines + said.tail)
    return "\n".join(printable_lines(lines + said.tail))
