"""A claim's Chinese text rendered from its row, without making its decision.

The Chinese counterpart of :mod:`.texts`, for the whole text a reader gets by default
(``Result.explain()``: :func:`~policyrules.explain_zh.explain_text_zh`).  A paid award of
the fast path (exact, nothing granted before, not served at an unknown place in its order)
is said from its row's fen and the facts its plan reads (:func:`paid_text_zh`); a claim a
condition refused is said by its line, from its reasons (:meth:`.rows_said.Said.said_zh`).
Each piece comes from the functions of :mod:`policyrules.explain_zh` (and
:mod:`~policyrules.explain_zh_caps`) that :func:`~policyrules.explain_zh.decision_text_zh`
says a decision with, so the text is the same, character for character
(``tests/property/test_row_texts_props.py``); any other claim returns ``None`` and is said
from its decision.  Two pieces are said here from their values, where the decision's way
is known to give the same words: a paid claim's money, dates and yes/no facts (as
:func:`~policyrules.words.value_zh` says their texts, but for money under an enum:
:func:`~policyrules.words.money_as_written`), and a cap's account from its parts
(:func:`~policyrules.explain_zh_caps.scope_zh`, as the decision says it from
``CapEvent.account``); ``tests/unit/test_texts_zh_parts.py`` holds each to the decision's
way.

What the paid claims of one provision share under one set of assumptions read (their
words, head, caps in words, the parameters', assumptions' and quote's lines) is made once
(:class:`PaidZh`); a scope and a fact's value in words are kept as they are met.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container, Sequence
from functools import partial
from itertools import groupby
from typing import Any

from ...explain_order import ORDER_HOLD
from ...explain_zh import facts_said, head_zh, pairs_lines_zh, singles_zh, words_for
from ...explain_zh_caps import (
    cap_bits_put_zh,
    cap_head_said_zh,
    cap_head_zh,
    cap_said_zh,
    cap_written,
    limit_zh,
    scope_zh,
)
from ...explain_zh_memo import keep, memos
from ...explain_zh_reasons import fact_title
from ...instances import Instance
from ...runtime.claim_log import Earlier
from ...runtime.claim_texts import AT_MOST_ZH, UNKNOWN_ZH
from ...runtime.money import Money, cn_text
from ...runtime.values import Unknown
from ...terminal import BREAK, printable, printable_pieces
from ...vocab import SPENT, SPENT_AMOUNT, amount_words
from ...words import Words, date_zh, money_as_written
from .compile import CompiledProvision, Env
from .paid import PaidPlan, paid_facts
from .rows_caps import kept_set_text, rare_text
from .texts_gen import facts_said_zh
from .texts_zh_gen import paid_said_zh

__all__ = ["PaidZh", "RunZh", "paid_text_zh"]

# What the Chinese texts of one call (rows_said.Said.said_zh) share, for paid_text_zh: how
# to make a subject's Env, the rate facts, how the assumptions read are said, the words,
# whether every id of the facts holds nothing to escape, the evaluation's PaidZh by the
# ids of the plan, the words and the assumptions, and a one-item list keeping the last one
# found with the assumptions it was found for.
RunZh = tuple[
    Callable[[CompiledProvision, Instance], Env],
    Container[str],
    Callable[[set[str], bool], tuple[tuple[str, str], ...]],
    Words,
    bool,
    dict[Any, "PaidZh"],
    list[Any],
]
# The function saying a paid row's whole text (texts_zh_gen; None: the loop says it).
Render = Callable[[tuple[Any, ...]], str | None]
# A cap's line up to its bits, or a date's words, kept for one PaidZh: bounded.
_LINES_MAX = 4096
# The subject's lead after the head, the facts' line's lead.
_SUBJECT, _FACTS = " —— 对象：", "  所依据的情况："
_ABSENT = object()

# A fact a paid plan shows, as PaidZh keeps it (see PaidZh.groups).
_Shown = tuple[str, str, bool, str, bool, bool, dict[Any, str]]


class PaidZh:
    """What the Chinese texts of a provision's paid claims share under ``words`` and one
    set of assumptions read (``assumed``, the decisions' ``assumptions``), made once."""

    __slots__ = (
        "after_amount",
        "assumed",
        "before_amount",
        "caps",
        "entities",
        "facts",
        "groups",
        "head",
        "kept",
        "lines",
        "nl_lines",
        "p",
        "plan",
        "printable",
        "render",
        "said_facts",
        "singles",
        "spent_led",
        "spent_said",
        "tail",
        "tail_text",
        "titles",
        "w",
        "words",
        "written",
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
        # the amount's line around it (the template has one place for it)
        exact = amount_words("exact", "\0", None).split("\0")
        self.before_amount, self.after_amount = f"  金额：{exact[0]}", exact[1]
        self.tail = pairs_lines_zh(w, params, assumed, static["parameters_set"])
        text = static["quote"] or static["clause_quote"]
        if text:
            self.tail.append(f"  原文：「{text}」")
        self.tail_text = "".join(["\n" + line for line in self.tail])  # (joined once)
        self.singles = singles_zh(w)  # a subject said by its title (subject_zh)
        self.spent_said: dict[str, tuple[str, str]] = {}  # spent(): by the cap's text
        self.spent_led: dict[str, tuple[str, str]] = {}  # spent_lead(): the same
        self.facts = memos(w, "fact")  # (fact, value's text) -> its words (facts_said)
        # The facts the plan shows (in its order), each run of one entity's together: the
        # entity, and each fact's key, name, whether a rate, title and ：(facts_said),
        # whether a money value of it is said as written (value_zh), whether it is the
        # amount's, and its dates', yes/no's and sets' words by the value (bounded; a set's only
        # where rare_text keeps its text, and its words hold nothing to escape), kept with
        # the words (explain_zh_memo.memos: what they say of a value is theirs and the
        # fact's), so the next evaluation under them says a date met before by a look-up.
        info = w.fact
        self.groups: tuple[tuple[str, tuple[_Shown, ...]], ...] = tuple(
            (entity, tuple(
                (key, name, rate, f"{fact_title(w, key)}：",
                 money_as_written(f.type if (f := info(key)) is not None else None),
                 key == plan.amount_fact, memos(w, f"kept {rate} {key}"))
                for key, _, name, rate in facts
            ))
            for entity, facts in groupby(plan.shown, key=lambda fact: fact[1])
        )  # fmt: skip
        # the function saying the facts' line (texts_gen), its titles and words kept
        shown = tuple(
            (entity, key, name, rate, as_written, amount)
            for entity, facts in self.groups
            for key, name, rate, _, as_written, amount, _ in facts
        )
        kinds = tuple(f.type.kind if (f := info(key)) is not None else None for _, key, *_ in shown)
        self.titles = tuple(title for _, facts in self.groups for _, _, _, title, *_ in facts)
        self.kept = tuple(kept for _, facts in self.groups for *_, kept in facts)
        made = facts_said_zh(shown, _unknown, _date_said, kinds)
        # (_other_said holds the words and the memo, not this: no cycle to wait for the
        # cyclic collector)
        self.said_facts = made(self.titles, self.kept, partial(_other_said, w, self.facts))
        # Whether the words every text of these claims holds need no escape: the head, the
        # amount's words, the tail, the singles' and the facts' titles (a cap's line is
        # kept escaped: printable() of a text is the same escaped again).
        fixed = [self.head, *exact, *self.tail, *self.titles]
        fixed += filter(None, self.singles.values())
        self.printable = "".join(fixed).isprintable()
        self.caps: dict[str, str] = {}  # a cap (as printed) in words
        # a cap (as printed): whether known, and its written amount (cap_written)
        self.written: dict[str, tuple[bool, int | None]] = {}
        self.entities: dict[str, str] = {}  # an entity in words
        # (cap, entity, year, limit) -> the cap's line up to its bits, before and after
        # the id (cap_head)
        self.lines: dict[tuple[str, str | None, int | None, int | None], tuple[str, str]] = {}
        # the same, the first part after its line's break (for render)
        self.nl_lines: dict[tuple[str, str | None, int | None, int | None], tuple[str, str]] = {}
        # the text of a paid row of the plan's shape, said by the function texts_zh_gen
        # writes (made for the first row's caps; None: not made yet)
        self.render: Render | None = None

    def made_for(self, plan: PaidPlan, words: Words, assumed: tuple[tuple[str, str], ...]) -> bool:
        """Whether this is what the claims of ``plan`` share under ``words`` and
        ``assumed`` (the memo finds it by their ids: kept alive here, checked)."""
        return self.plan is plan and self.words is words and self.assumed is assumed

    def cap_head(
        self, cap: str, entity: str | None, year: int | None, limit: int | None
    ) -> tuple[str, str]:
        """:func:`~policyrules.explain_zh_caps.cap_head_zh` of a cap's row as its line
        starts (indented), escaped, before and after the id its account ends in
        (``entity``: that id's, ``None`` for a cap of one claim, said whole before;
        ``year``: the account's), said from its parts as the decision's
        ``CapEvent.account`` is, then what ``limit`` (fen) came to where the line says it
        (:func:`~policyrules.explain_zh_caps.limit_zh`: a cap written as an amount, raised;
        nothing to escape); kept by them: the line of a claim is the two around its id
        (escaped: escaping is per character)."""
        key = (cap, entity, year, limit)
        parts = self.lines.get(key)
        if parts is not None:
            return parts
        if entity is None:
            parts = (printable(f"  {cap_head_zh(self.w, self.p, cap, 'this claim')}"), "")
        else:
            said = self.caps.get(cap)
            if said is None:
                said = self.caps[cap] = cap_said_zh(self.w, self.p, cap)
            title = self.entities.get(entity)
            if title is None:
                title = self.entities[entity] = self.w.entity(entity)
            # the id between the parts: nothing after it holds a NUL (a year, words)
            before, _, after = cap_head_said_zh(said, scope_zh(title, "\0", year)).rpartition("\0")
            parts = (printable(f"  {before}"), printable(after))
        written = self.written.get(cap)
        if written is None:
            written = self.written[cap] = cap_written(self.w, self.p, cap)
        if written[0] and limit is not None and limit != written[1]:
            parts = (parts[0], parts[1] + limit_zh(cn_text(limit)))
        if len(self.lines) < _LINES_MAX:
            self.lines[key] = parts
        return parts

    def nl_head(self, key: tuple[str, str | None, int | None, int | None]) -> tuple[str, str]:
        """:meth:`cap_head` of ``key`` (cap, entity, year, limit), its first part after its
        line's break; kept by it (bounded)."""
        before, after = self.cap_head(*key)
        parts = ("\n" + before, after)
        if len(self.nl_lines) < _LINES_MAX:
            self.nl_lines[key] = parts
        return parts

    def renderer(self, caps: Sequence[tuple[Any, ...]]) -> Render:
        """The function saying the whole text of a paid row whose caps are scoped as those
        of ``caps`` (a row's), where it holds nothing to escape
        (:func:`.texts_zh_gen.paid_said_zh`; ``None`` from it: :func:`paid_text_zh`'s loop
        says the row)."""
        make = paid_said_zh(tuple(cap[1] is not None for cap in caps))
        return make(self.head + _SUBJECT, self.singles, "\n" + self.before_amount,
                    self.after_amount, self.said_facts, "\n" + _FACTS, self.tail_text,
                    self.nl_lines, self.nl_head, _cap_bits, self.spent_lead)  # fmt: skip

    def spent(self, caps: Sequence[tuple[Any, ...]]) -> tuple[str, str] | None:
        """The head and the amount line (escaped) of a claim of these paid nothing because
        the cap of ``caps`` (a row's) it met last cut it to nothing, as
        :func:`~policyrules.explain_zh_lines.spent_zh` says the decision; ``None``: no cap
        did (nothing by its own arithmetic)."""
        cut = [cap for cap, *_, before, after in caps if after == 0 and before > after]
        if not cut:
            return None
        found = self.spent_said.get(cut[0].text)
        if found is None:
            static = self.plan.static
            head = head_zh(self.w, "eligible", "award", static["document_number"],
                           static["document"], static["clause"], static["title"],
                           label=SPENT["cap"])  # fmt: skip
            why = SPENT_AMOUNT["cap"].format(cap=cap_said_zh(self.w, self.p, cut[0].text))
            found = printable(head), printable(f"{self.before_amount}{cn_text(0)}（{why}）")
            self.spent_said[cut[0].text] = found
        return found

    def spent_lead(self, caps: Sequence[tuple[Any, ...]]) -> tuple[str, str] | None:
        """:meth:`spent` of ``caps`` as the generated function puts it in
        (:mod:`.texts_zh_gen`): the head with the subject's lead after it, the amount's
        line after its break; kept by the cap that was spent."""
        cut = [cap for cap, *_, before, after in caps if after == 0 and before > after]
        if not cut:
            return None
        found = self.spent_led.get(cut[0].text)
        if found is None:
            spent = self.spent(caps)
            assert spent is not None
            found = self.spent_led[cut[0].text] = (spent[0] + _SUBJECT, "\n" + spent[1])
        return found

    def pairs_line(self, facts: tuple[tuple[str, str], ...]) -> str:
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


def _other_said(
    w: Words,
    facts: dict[Any, str],
    key: str,
    value: Any,
    rate: bool,
    kept: dict[Any, str],
    odd: list[str],
) -> str:
    """The words of the fact ``key`` of a value not said directly (money not said as
    written, a set, a number, a text, an id, a fact missing), under ``w``: ``facts_said``
    of its pair, kept in ``facts`` as it keeps them; added to ``odd`` where they hold a
    character to escape, else, for a set whose text :func:`~.rows_caps.rare_text` keeps,
    kept in ``kept`` by the set (said so from now on)."""
    kind = type(value)
    text = cn_text(value.fen) if kind is Money else rare_text(value, rate)
    pair = (key, text)
    said = facts.get(pair)
    if said is None:
        said = facts_said(w, (pair,))
        keep(facts, pair, said)
    if not said.isprintable():
        odd.append(said)
    elif kind is frozenset and len(kept) < _LINES_MAX and kept_set_text(value) is text:
        kept[value] = said
    return said


def _unknown(key: str) -> Unknown:
    """A fact its owner does not hold, as the decision reads it."""
    return Unknown(frozenset({key}))


def _date_said(title: str, value: dt.date, kept: dict[Any, str]) -> str:
    """A date's words after its fact's title, kept by the date (bounded)."""
    said = title + date_zh(value)
    if len(kept) < _LINES_MAX:
        kept[value] = said
    return said


def paid_text_zh(
    run: RunZh,
    plan_said: tuple[PaidPlan, Any, tuple[tuple[str, str], ...], Any],
    cp: CompiledProvision,
    row: tuple[Any, ...],
) -> str | None:
    """``decision_text_zh(d, words)`` of the decision ``d`` :func:`~.paid.paid_decision`
    makes of the paid ``row`` of ``cp`` (``plan_said``: its plan, its English lines, its
    parameters' texts; ``run``: what the texts of one call share, :data:`RunZh`), or
    ``None`` where that decision must be made to say it (as :func:`~.texts.paid_text`: an
    amount up to, an earlier grant of the provision, a claim served at an unknown place)."""
    plan = plan_said[0]
    words, last = run[3], run[6]
    seen = last[0]  # read and written whole: two threads saying one result stay right
    if seen is not None and seen[0] is plan and seen[1] is words and seen[2] == row[12]:
        render: Render | None = seen[4]  # (most) the claim before's, same assumptions
        if render is not None:
            text = render(row)
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
    inst = row[1]
    pairs: tuple[tuple[str, str], ...] = ()
    if plan.amount_fact is not None:  # as paid_facts: the plan's assumptions added below
        used, plus = row[12], plan.assumed
    else:
        read = paid_facts(plan, cp, inst, run[0], row, run[1])
        if read is None:
            return None
        pairs, used, _ = read
        plus = frozenset()
    said: PaidZh
    if seen is not None and seen[0] is plan and seen[1] is words and seen[2] == used:
        said = seen[3]  # the same assumptions as the claim before (its function tried above)
    else:
        assumed = run[2](used | plus, False)
        key = (id(plan), id(words), id(assumed))
        memo = run[5]
        found = memo.get(key)
        if found is None or not found.made_for(plan, words, assumed):
            found = memo[key] = PaidZh(plan, words, assumed, plan_said[2])
        said = found
        # kept with the function saying these claims whole where their texts may be
        # clean (texts_zh_gen), tried first from the next claim on
        render = None
        if said.printable and run[4] and plan.amount_fact is not None:
            render = said.render
            if render is None:
                render = said.render = said.renderer(row[6])
        last[0] = (plan, words, frozenset(used), said, render)
        if render is not None:
            text = render(row)
            if text is not None:
                return text
    clean = said.printable and run[4]  # (the subject, the earlier claims: ids)
    if plan.amount_fact is not None:
        # The facts the plan shows, read from the subject and said as facts_said says the
        # pairs paid_facts lists (money, dates and yes/no said there; any other value by
        # its text, its words kept as facts_said keeps them), the amount fact's value
        # (None: not read), whether the values said by their text (ids and text among
        # them) hold nothing to escape: by the function texts_gen writes for the plan.
        facts, value, plain = said.said_facts(inst)
        if value is None:
            return None
        clean = clean and plain
    else:
        facts = said.pairs_line(pairs)
        clean = clean and facts.isprintable()
    path = row[2]
    subject = path[0][1] + "/" + path[1][1] if len(path) == 2 else "/".join([i for _, i in path])
    # The text as one list of pieces, joined once (each line's not joined apart first),
    # its lines apart by BREAK (terminal.printable_pieces).
    spent = said.spent(row[6]) if row[4] == 0 else None  # a cap spent is said so
    out: list[str] = [said.head if spent is None else spent[0]]
    if subject:
        out += (_SUBJECT, said.singles.get(subject, subject))
    if spent is None:
        out += (BREAK, said.before_amount, cn_text(row[4]), said.after_amount)
    else:
        out += (BREAK, spent[1])
    heads = said.lines
    for cap, scope, year, limit, was, log, stop, before, after in row[6]:
        if scope is None:
            parts = heads.get((cap.text, None, year, limit))
            if parts is None:
                parts = said.cap_head(cap.text, None, year, limit)
            out += (BREAK, parts[0], parts[1])
        else:
            entity, ident = scope[-1]
            parts = heads.get((cap.text, entity, year, limit))
            if parts is None:
                parts = said.cap_head(cap.text, entity, year, limit)
            out += (BREAK, parts[0], ident, parts[1])  # (an id to escape: not clean, see below)
        if was or (stop and log is not None) or after < before:
            _cap_bits(out, cap, was, log, stop, before, after)
    if facts:
        out += (BREAK, _FACTS, facts)
    if clean:
        out.append(said.tail_text)
        return "".join(out)
    # Each piece from the facts was looked at (the caps' lines are kept escaped); else
    # each piece escaped: escaping is per character, so the lines are escaped alike.
    out += [piece for line in said.tail for piece in (BREAK, line)]
    return printable_pieces(out)


def _cap_bits(
    out: list[str], cap: Any, was: int, log: Any, stop: int, before: int, after: int
) -> None:
    """What a paid claim met at ``cap`` (a cap's row: what earlier evaluations used, its
    log and the claims on it before, the amount before and after), put in ``out`` by
    :func:`~policyrules.explain_zh_caps.cap_bits_put_zh`."""
    count = stop if log is not None else 0  # the earlier claims on its account
    texts: Sequence[str] = ()
    total, at_most, bound, binds, entries = 0, False, None, None, 0
    if count and log.more:  # (rare) a schedule's payments among them: claims once
        view = Earlier(log, stop, cap.ceiling)
        count, entries, texts = view.claim_count(), stop, view.last_texts()
        total, at_most, bound = view.total.fen, view.total_at_most(), view.bounded()
    elif count:
        texts = log.texts(stop - 3 if stop > 3 else 0, stop, UNKNOWN_ZH, AT_MOST_ZH)
        total = log.totals[stop]
        at_most = stop > 3 and log.total_at_most(stop)  # (said only past 3 claims)
        bound = log.bounded(stop, cap.ceiling) if at_most else None
    if after < before:
        binds = (cn_text(before), cn_text(before - after), cn_text(after))
    earlier = cn_text(was) if was else None  # what earlier evaluations used
    cap_bits_put_zh(out, earlier, count, total, texts, at_most, bound, binds, entries)
