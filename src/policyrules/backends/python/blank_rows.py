"""With explanations: a provision's decisions for the subjects that lack every fact its
conditions read, made once an evaluation and kept as rows.

A provision that is neither an award nor a time limit, outside every exclusive group, whose
conditions' facts are known (``FastProvision.conditions_facts``: none reads the subject's
id), decides a subject that lacks all of them from that absence alone (:mod:`.blank`):
its status, reasons, missing facts, facts read, assumptions and trace are those of any
other such subject.  The first such subject is decided the general way (the evaluator's
``decide``) and its decision kept; each other is a :data:`~.rows.Row` whose one-time
index is :data:`BLANK`, made into the kept decision with its own subject
(:func:`~.trusted.with_subject`) only when looked at.  Its texts, English and Chinese,
differ from the kept decision's by the subject alone, which ends their first line: each
is said as ``lead + subject + rest``, the two parts cut once from the kept decision's text
(escaped per character, as :func:`~policyrules.terminal.printable` escapes, the subject
apart).  A decision found undecided is not kept (each such subject decided again).

An award's claim of unknown eligibility whose subject lacks every fact its conditions read
is the fast path's row (it holds its bound in shared caps: .fast_reserve); its decision is
likewise the one made once for such claims of the provision (by the assumptions they read),
with its subject and its own steps around the kept ones: natural order served it (first),
what it holds (last).  Its texts, which do not read the trace (no reason, no earlier grant),
are cut the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...decisions import Decision, Step
from ...explain import decision_text
from ...explain_zh import decision_text_zh, singles_zh, words_for
from ...instances import Instance
from ...model import CheckedPolicy
from ...terminal import printable
from ...words import Words
from .blank import lacks_all
from .claims import path_of
from .compile import CompiledPolicy, CompiledProvision, Env
from .trusted import Slots, slots_of, with_subject

__all__ = ["BLANK", "BlankRows", "Template", "said_blank"]

BLANK = -2  # a row's one-time index (Row[10]) saying it is a blank subject's (else -1 or >= 0)

Row = tuple[Any, ...]  # a row of .rows (its Row)
_NONE: frozenset[str] = frozenset()
# What a blank row's text is made of: the lead of its first line, how its subject is said
# (the ids joined -> the words, None: as they are), the rest (None: no template, its
# decision says it).
Template = tuple[str, dict[str | None, str] | None, str] | None
_Kept = tuple[Decision, Slots, frozenset[str], set[str]]


class BlankRows:
    """Blank subjects' decisions and texts (a mixin of the evaluator, which supplies the
    state and ``decide``)."""

    explain: bool
    policy: CompiledPolicy
    checked: CheckedPolicy
    # provision id -> its decision kept for blank subjects, its slots, the facts and
    # parameters it misses (as a row names them), the assumptions it read (None: not
    # kept, undecided)
    _blank_decided: dict[str, _Kept | None]
    # (provision id, the assumptions read) -> an award's decision kept for its blank
    # claims of unknown eligibility, its slots... (None: not kept, undecided)
    _blank_unknown: dict[tuple[str, frozenset[str]], _Kept | None]
    # (language, id of a kept decision[, id of the words]) -> (the decision, the words, the
    # template): both kept, so an id found is theirs
    _blank_said: dict[Any, tuple[Decision, Words | None, Template]]
    # With explanations: the step of each claim of unknown eligibility the fast path served
    # that holds its bound in shared caps, by provision id and path (.rows).
    holds: dict[tuple[str, tuple[tuple[str, str], ...]], Step]
    _bound_ids: frozenset[str] | None = None  # the members of exclusive groups
    # Each subject's path, by the id of its instance (alive as long as the evaluation).
    _paths: dict[int, tuple[tuple[str, str], ...]]

    def subjects(self, cp: CompiledProvision) -> list[Instance | None]:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    def env(self, cp: CompiledProvision, inst: Instance | None) -> Env:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    def decide(
        self,
        cp: CompiledProvision,
        inst: Instance | None,
        env: Env,
        path: tuple[tuple[str, str], ...] | None = None,
    ) -> Decision:
        raise NotImplementedError  # pragma: no cover - the evaluator defines it

    def again(self, row: Row, hold: bool) -> Decision:
        raise NotImplementedError  # pragma: no cover - Rows defines it

    def blank_provision(self, cp: CompiledProvision) -> list[Decision | Row] | None:
        """With explanations, the decisions of ``cp`` (neither an award nor a time limit),
        subjects in facts order: a blank subject's a row (but the first, decided), the
        others decided; ``None`` where ``cp`` has none to keep (the general way)."""
        pid = cp.info.id
        fp = self.policy.fast.get(pid)
        facts = fp.conditions_facts if fp is not None else None
        if facts is None:
            return None
        bound = self._bound_ids
        if bound is None:
            bound = self._bound_ids = self.checked.exclusivity.bound()
        if pid in bound:
            return None
        kept = self._blank_decided
        decide, env, paths = self.decide, self.env, self._paths
        out: list[Decision | Row] = []
        for inst in self.subjects(cp):
            if inst is None or not lacks_all(facts, inst):
                out.append(decide(cp, inst, env(cp, inst)))
                continue
            got = kept.get(pid, _NOT_YET)
            path = paths.get(id(inst))
            if path is None:
                path = paths[id(inst)] = path_of(inst)
            if got is None or got is _NOT_YET:
                d = decide(cp, inst, env(cp, inst), path)
                if got is _NOT_YET:
                    kept[pid] = _kept(d)
                out.append(d)
                continue
            status, missing, used = got[0].status, got[2], got[3]
            out.append((cp, inst, path, status, None, None, (), 0, 0, missing, BLANK, None, used))
        return out

    def blank_decision(self, row: Row) -> Decision:
        """The decision of a blank row: the kept one, with the row's subject."""
        got = self._blank_decided[row[0].info.id]
        assert got is not None
        return with_subject(got[1], "/".join([i for _, i in row[2]]))

    def blank_unknown(self, row: Row) -> Decision | None:
        """The decision of an award's claim of unknown eligibility (the fast path's row)
        whose subject lacks every fact the conditions read: the one kept for such claims
        of its provision (its conditions computed again once, by :meth:`again`), with its
        subject and its own steps around the kept ones (natural order served it, what it
        holds); ``None``: not such a claim (its decision is made the general way)."""
        kept = self._unknown_kept(row)
        if kept is None:
            return None
        cp, path, why = row[0], row[2], row[11]
        trace = kept[0].trace
        held = self.holds.get((cp.info.id, path))
        if why is not None or held is not None:
            trace = (*((why,) if why else ()), *trace, *((held,) if held else ()))
        return with_subject(kept[1], "/".join([i for _, i in path]), trace)

    def _unknown_kept(self, row: Row) -> _Kept | None:
        """What :meth:`blank_unknown` makes the row's decision from (``None``: none)."""
        cp, inst = row[0], row[1]
        pid = cp.info.id
        fp = self.policy.fast.get(pid)
        facts = fp.conditions_facts if fp is not None else None
        if facts is None or not lacks_all(facts, inst):
            return None
        key = (pid, frozenset(row[12]))  # (the assumptions its order read too)
        got = self._blank_unknown.get(key, _NOT_YET)
        if got is _NOT_YET:
            # Threads saying one result at once all keep the decision kept first (the
            # texts below are found by it).
            got = self._blank_unknown.setdefault(key, _kept(self.again(row, False)))
        kept: _Kept | None = got
        return kept

    def _kept_of(self, row: Row) -> _Kept | None:
        """The decision kept for a blank row or an award's blank claim of unknown
        eligibility (``None``: none)."""
        if row[10] == BLANK:
            return self._blank_decided[row[0].info.id]
        return self._unknown_kept(row)

    def blank_template_en(self, row: Row) -> Template:
        """What :func:`said_blank` says the English text of a row's decision from
        (:func:`~policyrules.explain.decision_text` of the decision :meth:`_kept_of` makes,
        cut around its subject): ``None`` where there is none (no decision kept, or one not
        eligible, which the whole text says in a line: the row's decision says it).  The
        same for every blank row (:data:`BLANK`) of a provision in one evaluation."""
        kept = self._kept_of(row)
        if kept is None:
            return None
        made = kept[0]
        key = ("en", id(made))
        got = self._blank_said.get(key)
        if got is None or got[0] is not made:  # (the decision kept: its id is its own)
            got = self._blank_said[key] = (made, None, _template(made, decision_text, None))
        return got[2]

    def blank_template_zh(self, row: Row, words: Words) -> Template:
        """The same for :func:`~policyrules.explain_zh.decision_text_zh` under ``words``."""
        kept = self._kept_of(row)
        if kept is None:
            return None
        made = kept[0]
        key = ("zh", id(made), id(words))
        got = self._blank_said.get(key)
        if got is None or got[0] is not made or got[1] is not words:  # (both kept: ids theirs)
            said = singles_zh(words_for(words, made.assumptions))
            template = _template(made, lambda d: decision_text_zh(d, words), said)
            got = self._blank_said[key] = (made, words, template)
        return got[2]


def _template(
    made: Decision, text_of: Callable[[Decision], str], said: dict[str | None, str] | None
) -> Template:
    """The kept decision's text cut around its subject, which ends its first line
    (``said``: the subjects said by other words); ``None`` where it is not eligible, its
    text could read its trace (a reason, an earlier grant), its first line does not end
    so, or the subject is said anywhere else in it."""
    assert made.subject is not None
    if made.status == "not_eligible" or made.reasons or made.granted_before is not None:
        return None
    text = text_of(made)
    first = text.split("\n", 1)[0]
    subject = printable(said.get(made.subject, made.subject) if said else made.subject)
    if not subject or not first.endswith(subject):
        return None
    lead, rest = first[: len(first) - len(subject)], text[len(first) :]
    if any(s in lead or s in rest for s in (subject, made.subject)):
        return None  # the subject said elsewhere too: each such text made from its decision
    return lead, said, rest


def _kept(d: Decision) -> _Kept | None:
    """What is kept of ``d``, a blank subject's decision (``None``: it is undecided)."""
    if any(st.kind == "undecided" for st in d.trace):
        return None
    missing = frozenset(d.missing_facts) | {"parameter " + p for p in d.missing_parameters}
    return d, slots_of(d), missing or _NONE, {a for a, _ in d.assumptions}


def said_blank(template: Template, row: Row) -> str | None:
    """The text of ``row``'s decision from the template of its provision's kept decision
    (:meth:`BlankRows.blank_template_en`, :meth:`~BlankRows.blank_template_zh`): the
    row's subject put in its place (escaped as the text escapes it); ``None``: none."""
    if template is None:
        return None
    lead, said, rest = template
    path = row[2]
    subject = path[0][1] + "/" + path[1][1] if len(path) == 2 else "/".join([i for _, i in path])
    if said:
        subject = said.get(subject, subject)
    return lead + (subject if subject.isprintable() else printable(subject)) + rest


_NOT_YET: Any = object()  # a provision whose blank subjects are not yet decided
