"""A row's text, English or Chinese, said without making its decision where it can be.

:meth:`Said.said_en` writes the English text of a paid claim or of a claim a condition
refused from its row (see :mod:`.texts`), :meth:`Said.said_zh` its Chinese text as the whole
Chinese text shows it (see :mod:`.texts_zh`); any other row is made into its decision
(:meth:`~.rows.Rows.materialise`) and said from it.  What every claim of a provision shares
is made once an evaluation, or kept by the compiled policy for the next evaluation on the
defaults themselves (``Rows._learnt``): a paid plan's lines and parameters, a refused
claim's condition steps, lines and the refusals already said (:func:`~.failed.refusal_key`;
at most :data:`REFUSALS_MAX` a provision).  On the defaults, the evaluations also share
(``memos.Learnt``) the assumptions' texts, the last paid claim's assumptions and each
provision's :class:`~.texts_zh.PaidZh` (at most :data:`PAID_ZH_MAX`): made once a call
before, they were most of what a one-firm call (20 claims of measure 3) paid on top of its
claims in Chinese (valgrind, instructions a call beyond its claims' 71 k each: 705 k → 172 k
with the assumptions' block kept too, ``explain_zh``; English, 64 k a claim: 145 k → 105 k).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Sequence
from functools import partial
from typing import Any, TypeVar

from ...decisions import Decision, Step
from ...explain_zh import singles_zh, titled_zh, words_for
from ...explain_zh_reasons import kind_own_zh, kind_zh, reasons_zh
from ...explain_zh_refused import RefusedZh
from ...facts import Facts
from ...instances import Instance
from ...model import CheckedPolicy, ProvisionInfo
from ...words import Words
from .blank_rows import BLANK, BlankRows, Template, said_blank
from .compile import CompiledProvision, Condition, Env
from .explained import condition_facts
from .failed import Marks, Refusals, condition_steps, failed_reasons, refusal_key
from .paid import PaidPlan
from .rows_caps import fact_texts
from .texts import (
    Fixed,
    PaidSaid,
    Run,
    failed_text,
    fixed_lines,
    paid_text,
    refused_body,
    refused_line,
)
from .texts_zh import RunZh, paid_text_zh

__all__ = ["PAID_ZH_MAX", "REFUSALS_MAX", "Said"]

_new = tuple.__new__
_UNSAID: Any = object()  # a provision whose paid claims' texts were not asked for yet
_UNSEEN: Any = object()  # a refusal not said yet
# Refusals said kept for a provision, in a run or by evaluations on the defaults (each some
# 2 KB of text): bounded.
REFUSALS_MAX = 512
# What paid claims' Chinese texts share (.texts_zh.PaidZh) kept by the policy for the
# evaluations on its defaults: one a provision, set of assumptions read and words object
# (beyond this many, all are forgotten).
PAID_ZH_MAX = 64
# Past this many rows, a result's rows are said firm by firm (Said._said_order).
BY_FIRM = 32_768

Row = tuple[Any, ...]  # a row of .rows (its Row)
R = TypeVar("R", str, RefusedZh)  # what a refused claim is said as
# what a provision's paid claims' texts need (Said._paid_said): plan, lines, parameters,
# the functions written for them (.texts.PaidSaid)
_PaidSaid = PaidSaid
Pairs = tuple[tuple[str, str], ...]  # (name, value's text) of facts, assumptions, parameters


class Said(BlankRows):
    """Rows said in English and in Chinese (a mixin of :class:`~.rows.Rows`, which
    supplies the rest)."""

    explain: bool
    facts: Facts
    checked: CheckedPolicy
    rate_facts: Container[str]
    _static: dict[str, dict[str, Any]]  # the fields of a provision's decisions
    _fixed: dict[tuple[str, str], Fixed]  # a provision's lines of a status's text (.texts)
    # a provision's plan, lines and parameters for its paid claims' texts (None: no plan)
    _said: dict[str, _PaidSaid | None]
    # a provision's condition steps, lines and parameters for its refused claims' texts
    # and, where its conditions' reads are fixed, its refusals by key (.failed)
    _refused: dict[
        str,
        tuple[
            Marks, Fixed, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...] | None, Refusals
        ],
    ]
    _last_assumed: list[Any]  # the last paid claim's assumptions and their texts (.texts)
    # provision -> (id of the words, refusal key) -> the words, the reasons of a refused
    # claim in Chinese, joined (None: its decision says them), and the test of its kind it
    # failed (explain_zh_reasons.kind_zh) and with its value (kind_own_zh); at most
    # REFUSALS_MAX each,
    # kept by the compiled policy on the defaults (as the English ones)
    _refused_zh: dict[str, dict[tuple[Any, ...], tuple[Words, str | None, str | None, str | None]]]
    # (provision, id of the words) -> the words, the provision's titled_zh, singles_zh
    _titled_zh: dict[tuple[str, int], tuple[Words, str, dict[str | None, str]]]
    _paid_zh: dict[Any, Any]  # what paid claims' Chinese texts share (.texts_zh)
    _last_paid_zh: list[Any]  # the last paid claim's (.texts_zh)
    _printable: bool | None  # no id of the facts holds a character to escape (None: not seen)

    def materialise(self, row: Row) -> Decision:
        raise NotImplementedError  # pragma: no cover - Rows defines it

    def _learnt(self) -> dict[tuple[str, str], Any] | None:
        raise NotImplementedError  # pragma: no cover - Rows defines it

    def _paid_plan(self, cp: CompiledProvision, inst: Instance) -> PaidPlan | None:
        raise NotImplementedError  # pragma: no cover - Rows defines it

    def _provision_fields(self, cp: CompiledProvision) -> dict[str, Any]:
        raise NotImplementedError  # pragma: no cover - Rows defines it

    def _parameter_texts(self, info: ProvisionInfo) -> tuple[tuple[str, str], ...]:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    def _assumed_texts(self, used: set[str], counts_days: bool) -> tuple[tuple[str, str], ...]:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    def env(self, cp: CompiledProvision, inst: Instance | None) -> Env:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    def why_not(self, cond: Condition, env: Env, seen: list[str]) -> str:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    def said_en(self, rows: Iterable[Row | Decision], full: bool) -> list[str | Decision]:
        """The English text of each of ``rows`` (``decision_text``, without the trace), in
        order: rendered from the row where :mod:`.texts` can; else the decision, made (a
        decision given: itself), to be said.  ``full``: a claim not eligible said in full,
        else by its line of the whole text (:class:`~policyrules.explain_en_lines.Refused`).  With
        explanations on only (``evaluate`` hands the texts over only then)."""
        run: Run = (self.env, self.rate_facts, self._assumed_texts, self._ids_printable(),
                    self._last_assumed)  # fmt: skip
        past: dict[Any, Any] = {}  # refusals past the bound, kept while these rows are said
        return self._said_rows(
            rows,
            partial(paid_text, run),
            lambda row: self._failed_text(row, full, past),
            self.blank_template_en,
        )

    def said_zh(
        self, rows: Iterable[Row | Decision], words: Words
    ) -> list[str | RefusedZh | Decision]:
        """The Chinese text of each of ``rows`` as the whole text says it, under ``words``,
        in order: a paid claim's block (``decision_text_zh``), a claim a condition refused
        (:class:`~policyrules.explain_zh_refused.RefusedZh`), rendered from the row;
        else the decision, made (a decision given: itself), to be said.  With explanations
        on only (``evaluate`` hands the texts over only then)."""
        paid_zh = self._paid_zh  # (the policy's, on the defaults: by the words' ids, bounded)
        if len(paid_zh) >= PAID_ZH_MAX:
            paid_zh.clear()
        if len(self._titled_zh) >= PAID_ZH_MAX:  # (as well)
            self._titled_zh.clear()
        run: RunZh = (self.env, self.rate_facts, self._assumed_texts, words,
                      self._ids_printable(), paid_zh, self._last_paid_zh)  # fmt: skip
        past: dict[Any, Any] = {}  # refusals past the bound, kept while these rows are said
        return self._said_rows(
            rows,
            partial(paid_text_zh, run),
            lambda row: self._refused_line_zh(row, words, past),
            lambda row: self.blank_template_zh(row, words),
        )

    def _said_rows(
        self,
        rows: Iterable[Row | Decision],
        paid: Callable[[_PaidSaid, CompiledProvision, Row], str | None],
        refused: Callable[[Row], R | None],
        blank: Callable[[Row], Template],
    ) -> list[str | R | Decision]:
        """Each of ``rows`` said: a paid claim's row by ``paid`` (its provision's
        :meth:`_paid_said`, found once for a run of its rows), one a condition refused by
        ``refused``, a blank subject's (:mod:`.blank_rows`) from the template ``blank``
        gives (found once for a run of a provision's blank rows); ``None`` from any, or
        any other row: its decision, made."""
        assert self.explain, "a row holds what its text reads only with explanations on"
        listed = list(rows)
        out: list[Any] = [None] * len(listed)
        said_cp: CompiledProvision | None = None
        said: _PaidSaid | None = None
        blank_cp: CompiledProvision | None = None
        template: Template = None
        for k in self._said_order(listed):
            row = listed[k]
            if isinstance(row, Decision):
                out[k] = row
                continue
            text: str | R | None = None
            if row[10] == BLANK:
                if row[0] is not blank_cp:  # (the same kept decision for all of them)
                    template, blank_cp = blank(row), row[0]
                text = said_blank(template, row)
            elif row[3] == "unknown" and row[0].info.kind == "award":
                text = said_blank(blank(row), row)
            elif row[10] < 0 and not row[9]:
                cp = row[0]
                if row[4] is not None:
                    if cp is not said_cp:  # (a provision's rows often come together)
                        said, said_cp = self._paid_said(cp, row[1]), cp
                    if said is not None:
                        text = paid(said, cp, row)
                elif row[3] == "not_eligible":
                    text = refused(row)
            out[k] = text if text is not None else self.materialise(row)
        return out

    def _said_order(self, rows: list[Row | Decision]) -> Sequence[int]:
        """The order to say ``rows`` in (each text is put in its row's place: texts are
        alike in any order): as they are, or, past :data:`BY_FIRM` rows, firm by firm as
        the facts list the firms (each firm's rows in order).  A large registry's claims
        are served in the order of their caps (a day, then an id), which visits the firms'
        facts and logs all over memory; said firm by firm, the next claim's lie near."""
        if len(rows) <= BY_FIRM:
            return range(len(rows))
        places: dict[str, dict[str, int]] = {}
        listed = self.facts.instances

        def place(k: int) -> int:
            row = rows[k]
            if type(row) is not tuple or not row[2]:
                return -1
            entity, ident = row[2][0]
            known = places.get(entity)
            if known is None:
                firms = listed.get(entity, ())
                known = places[entity] = {i.id: n for n, i in enumerate(firms)}
            return known.get(ident, -1)

        return sorted(range(len(rows)), key=place)

    def _paid_said(self, cp: CompiledProvision, inst: Instance) -> _PaidSaid | None:
        """:meth:`_said_of` ``cp``, once an evaluation (``inst``: a claim of it)."""
        said: _PaidSaid | None
        said = self._said.get(cp.info.id, _UNSAID)
        if said is _UNSAID:
            said = self._said[cp.info.id] = self._said_of(cp, inst)
        return said

    def _refusal(
        self, cp: CompiledProvision, row: Row, marks: Marks
    ) -> tuple[list[str], list[Step], Pairs, Pairs] | None:
        """Why the claim of ``row`` was refused, from its conditions run again: its reasons,
        its trace's steps, the facts read and the assumptions read, as texts (``None``: no
        failed condition says it; its decision does)."""
        env = self.env(cp, row[1])
        env.used_assumptions |= row[12]
        failed = failed_reasons(cp, env, row, marks, self.why_not)
        if failed is None:
            return None
        assumed = self._assumed_texts(env.used_assumptions, False)
        return failed[0], failed[1], fact_texts(env.reads, self.rate_facts), assumed

    def _refused_line_zh(
        self,
        row: Row,
        words: Words,
        past: dict[Any, tuple[Words, str | None, str | None, str | None]],
    ) -> RefusedZh | None:
        """The line of a claim a condition refused in the whole Chinese text (``None``: a
        reason its decision must say).  Claims refused alike (:func:`~.failed.refusal_key`)
        share their reasons: said once (kept up to :data:`REFUSALS_MAX` a provision, by the
        compiled policy on the defaults; the others in ``past`` while the rows are said)."""
        cp, inst = row[0], row[1]
        pid = cp.info.id
        marks, _, _, reads, _ = self._refusal_parts(cp)
        key = refusal_key(reads, inst, row[12]) if reads is not None else None
        memo_key = (id(words), key)
        kept = self._refused_zh.get(pid)
        if kept is None:
            learnt = self._learnt()
            kept = learnt.setdefault(("refused_zh", pid), {}) if learnt is not None else {}
            self._refused_zh[pid] = kept
        why: Any = _UNSEEN
        kind: str | None = None
        own: str | None = None
        if key is not None:
            got = _recall(kept, past, pid, memo_key)
            if got is not _UNSEEN and got[0] is words:  # (the words kept: their id is theirs)
                why, kind, own = got[1], got[2], got[3]
        if why is _UNSEEN:
            refusal = self._refusal(cp, row, marks)
            why = None
            if refusal is not None:
                reasons, trace, facts, assumed = refusal
                w = words_for(words, assumed)
                p = w.provisions.get(pid)
                said = reasons_zh(w, p, reasons, trace, facts)
                if all(r is not None for r in said):
                    why = "；".join([r for r in said if r is not None])
                    kind = kind_zh(w, p, trace)
                    if kind is not None:
                        own = kind_own_zh(w, p, reasons, trace, facts)
            if key is not None:
                _keep(kept, past, pid, memo_key, (words, why, kind, own))
        if why is None:
            return None
        head = self._titled_zh.get((pid, id(words)))
        if head is None or head[0] is not words:
            static = self._provision_fields(cp)
            where = (static["document_number"], static["document"], static["clause"])
            titled = titled_zh(words, words.provisions.get(pid), pid, where)
            head = self._titled_zh[(pid, id(words))] = (words, titled, singles_zh(words))
        path = row[2]
        subject = (
            path[0][1] + "/" + path[1][1] if len(path) == 2 else "/".join([i for _, i in path])
        )
        said_subject = head[2].get(subject, subject) if subject else None  # (subject_zh)
        # (made as the tuple it is: every field given, no Python-level __new__ to call)
        return _new(RefusedZh, (head[1], said_subject, why, kind, pid, own))

    def _ids_printable(self) -> bool:
        """Whether no id of the facts, an unlisted owner's among them, holds a character
        to escape (looked at once)."""
        known = self._printable
        if known is None:
            known = self._printable = "".join(self.facts.ids()).isprintable()
        return known

    def _fixed_lines(self, cp: CompiledProvision, status: str, plan: PaidPlan | None) -> Fixed:
        key = (cp.info.id, status)
        fixed = self._fixed.get(key)
        if fixed is None:
            static = self._provision_fields(cp)
            if plan is None:
                fixed = fixed_lines(static, status)
            else:
                kinds = tuple(self._declared_kind(e, name) for _, e, name, _ in plan.shown)
                fixed = fixed_lines(static, status, plan.shown, plan.amount_fact, kinds)
            self._fixed[key] = fixed
        return fixed

    def _declared_kind(self, entity: str, name: str) -> str | None:
        """The kind of the type the fact ``entity.name`` is declared of (``None``: an id,
        or not declared)."""
        info = self.checked.entity(entity)
        fact = info.fact(name) if info is not None else None
        return fact.type.kind if fact is not None else None

    def _said_of(self, cp: CompiledProvision, inst: Instance) -> _PaidSaid | None:
        """What every paid claim's text of ``cp`` needs, once per evaluation: its plan,
        its fixed lines, its parameters' texts (``None``: no plan, the decision says it)."""
        plan = self._paid_plan(cp, inst)
        if plan is None:
            return None
        learnt = self._learnt()
        said = learnt.get(("said", cp.info.id)) if learnt is not None else None
        if said is None or said[0] is not plan:
            fixed = self._fixed_lines(cp, "eligible", plan)
            said = plan, fixed, self._parameter_texts(cp.info), {}
            if learnt is not None:
                learnt[("said", cp.info.id)] = said
        return said

    def _refusal_parts(
        self, cp: CompiledProvision
    ) -> tuple[
        Marks, Fixed, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...] | None, Refusals
    ]:
        """What every refused claim's text of ``cp`` needs: its condition steps, its lines,
        its parameters' texts, the facts its conditions read (``None``: not fixed) and the
        refusals said so far; once an evaluation, or kept on the defaults."""
        said = self._refused.get(cp.info.id)
        if said is None:
            learnt = self._learnt()
            kept = learnt.get(("refused", cp.info.id)) if learnt is not None else None
            if kept is None:
                kept = (
                    condition_steps(cp),
                    self._fixed_lines(cp, "not_eligible", None),
                    self._parameter_texts(cp.info),
                    condition_facts(cp, self.checked),
                    {},  # the refusals said: kept with the rest (bounded), on the defaults
                )
                if learnt is not None:
                    learnt[("refused", cp.info.id)] = kept
            said = self._refused[cp.info.id] = kept
        return said

    def _failed_text(
        self, row: Row, full: bool, past: dict[Any, tuple[list[str], str] | None]
    ) -> str | None:
        """The English text of a claim a condition refused (``None``: its decision says
        it); refusals past the bound kept in ``past`` while the rows are said."""
        cp, inst = row[0], row[1]
        marks, fixed, params, reads, refusals = self._refusal_parts(cp)
        # Claims refused alike (the same values of the facts the conditions read, the same
        # assumptions read before) are said alike but for the subject: said once.
        key = refusal_key(reads, inst, row[12]) if reads is not None else None
        found = _recall(refusals, past, cp.info.id, key) if key is not None else _UNSEEN
        if found is _UNSEEN:
            refusal = self._refusal(cp, row, marks)
            found = None
            if refusal is not None:
                reasons, _, facts, assumed = refusal
                found = (reasons, refused_body(fixed, reasons, facts, assumed, params))
            if key is not None:
                _keep(refusals, past, cp.info.id, key, found)
        if found is None:
            return None
        reasons, body = found
        if not full:
            static = self._provision_fields(cp)
            return refused_line(static, row, reasons)
        return failed_text(fixed, row, body, self._ids_printable())


def _recall(kept: dict[Any, Any], past: dict[Any, Any], pid: str, key: Any) -> Any:
    """What is kept for the refusal ``key`` of a claim of provision ``pid``: by ``kept``
    (the provision's, at most :data:`REFUSALS_MAX`), else by ``past`` (the reading's);
    ``_UNSEEN`` by neither."""
    found = kept.get(key, _UNSEEN)
    return past.get((pid, key), _UNSEEN) if found is _UNSEEN else found


def _keep(kept: dict[Any, Any], past: dict[Any, Any], pid: str, key: Any, value: Any) -> None:
    """Keep ``value`` for the refusal ``key`` (see :func:`_recall`): in ``kept`` while it
    holds fewer than :data:`REFUSALS_MAX`, else in ``past``."""
    if len(kept) < REFUSALS_MAX:
        kept[key] = value
    else:
        past[(pid, key)] = value
