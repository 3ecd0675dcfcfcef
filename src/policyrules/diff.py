"""What-if: the same facts evaluated twice, before and after ``--set``/``--assume``.

:func:`what_if` evaluates a firm's facts as they are (with the facts file's own parameters
and assumptions) and again with the given parameters and assumptions on top, and
:func:`compare` lines the two lists of decisions up by provision and subject.  A decision
*changes* when its status, amount (fen) or amount kind (``exact``, ``up_to``, ``unknown``)
differs, or when it is in one run only.  The totals are the sum of the exact amounts and
the sum of the upper bounds (an exact amount bounds itself; an ``up_to`` amount is its
bound; an eligible decision with no amount has no bound and is counted apart), before,
after and their difference, all in fen.  A ceiling is not an amount: an ``up_to`` never
counts toward the exact total.

Earlier grants counted by another reading than the second run's (the facts' own ``ledger:``
counted with ``annual_cap_year = approval``, asked "what if ``decision``?") are not counted
again: they are read in the accounts they were counted in, and each such ledger and reading
is listed (``read_otherwise``).  An evaluation that pays refuses that run (E335).

:meth:`WhatIf.text` says it in English, :meth:`WhatIf.text_zh` in Chinese
(:mod:`policyrules.diff_zh`), which JSON carries as ``text_zh``, on each change and on the
whole, as ``eval --json`` does.  :mod:`policyrules.diff_batch` does the same over a registry
on the batch engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from .api import Policy
from .decisions import Decision
from .diff_zh import (
    NO_CHANGE_ZH,
    change_zh,
    count_zh,
    notes_zh,
    outcome_zh,
    totals_zh,
    unbounded_zh,
)
from .explain_zh import no_words, subject_zh, titled_zh
from .explain_zh import status_zh as decision_status_zh
from .facts import Facts
from .ledger_bases import OtherReading
from .runtime.ledger import Grant, Ledger
from .runtime.money import Money, cn_texts, sum_money
from .store import LedgerStore
from .vocab import heading_zh, status_words
from .words import Words

__all__ = [
    "Change",
    "Outcome",
    "Totals",
    "WhatIf",
    "compare",
    "money_json",
    "reading_notes",
    "totals_json",
    "what_if",
]

EXACT, UP_TO = "exact", "up_to"


def money_json(m: Money | None) -> str | None:
    """Money as exact 元 text (``"600000.00"``), as ``eval --json`` writes it."""
    return None if m is None else str(m.yuan)


def totals_json(before: Totals, after: Totals, name: str) -> dict[str, Any]:
    """One total (``exact`` or ``upper``) before, after and their delta: exact 元 text and fen."""
    was: Money = getattr(before, name)
    now: Money = getattr(after, name)
    return {
        "before": money_json(was),
        "after": money_json(now),
        "delta": money_json(now - was),
        "before_fen": was.fen,
        "after_fen": now.fen,
        "delta_fen": (now - was).fen,
    }


@attrs.frozen
class Outcome:
    """What one run said of a provision and subject: status, amount (fen) and its kind."""

    status: str
    amount: Money | None
    amount_kind: str | None
    # the status as the Chinese texts say it (a deadline's met: 按期完成); not compared
    status_zh: str | None = attrs.field(default=None, eq=False, kw_only=True)

    @classmethod
    def of(cls, d: Decision) -> Outcome:
        return cls(d.status, d.amount, d.amount_kind, status_zh=decision_status_zh(d))

    def text(self) -> str:
        """``eligible, 200 万元 (exact)``, ``eligible, up to 100 万元``, ``not_eligible``."""
        if self.amount is None:
            return self.status if self.amount_kind is None else f"{self.status}, amount unknown"
        if self.amount_kind == UP_TO:
            return f"{self.status}, up to {self.amount.format_cn()}"
        return f"{self.status}, {self.amount.format_cn()} ({self.amount_kind})"

    def text_zh(self) -> str:
        """``符合条件，200 万元（确定金额）``, ``符合条件，最高 100 万元``, or the status alone
        in the letter's words."""
        said = self.status_zh or status_words(self.status)
        return outcome_zh(said, self.amount, self.amount_kind)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "amount": money_json(self.amount),
            "amount_fen": None if self.amount is None else self.amount.fen,
            "amount_kind": self.amount_kind,
        }


@attrs.frozen
class Change:
    """One decision that differs between the runs (``before``/``after`` ``None``: absent)."""

    provision: str
    subject: str | None
    label: str  # where a reader finds it: 京经信发〔2025〕50号 第3条
    before: Outcome | None
    after: Outcome | None
    # as the Chinese texts head a decision: its measure and title, its subject; not compared
    measure_zh: str = attrs.field(default="", eq=False, kw_only=True)
    subject_zh: str | None = attrs.field(default=None, eq=False, kw_only=True)

    def text(self) -> str:
        was = "-" if self.before is None else self.before.text()
        now = "-" if self.after is None else self.after.text()
        name = self.provision.rsplit("/", 1)[-1]
        return f"{self.label} {name} · {self.subject or '-'}: {was} → {now}"

    def text_zh(self) -> str:
        """Two lines: ``京经信发〔2025〕50号 第6条 … —— 对象：firm-c``, then before → after."""
        return change_zh(
            self.measure_zh or self.label,
            self.subject_zh or self.subject,
            None if self.before is None else self.before.text_zh(),
            None if self.after is None else self.after.text_zh(),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "provision": self.provision,
            "subject": self.subject,
            "before": None if self.before is None else self.before.to_json(),
            "after": None if self.after is None else self.after.to_json(),
        }


@attrs.frozen
class Totals:
    """Sums over every decision of a run, in fen: ``exact`` of exact amounts, ``upper`` of
    upper bounds (exact and ``up_to`` amounts); ``unbounded`` counts eligible decisions
    with no amount (no bound can be summed for them)."""

    exact: Money
    upper: Money
    unbounded: int

    @classmethod
    def of(cls, decisions: Iterable[Decision]) -> Totals:
        exact: list[Money] = []
        upper: list[Money] = []
        unbounded = 0
        for d in decisions:
            if d.amount is not None and d.amount_kind in (EXACT, UP_TO):
                upper.append(d.amount)
                if d.amount_kind == EXACT:
                    exact.append(d.amount)
            elif d.status == "eligible" and d.kind == "award":
                unbounded += 1
        return cls(sum_money(exact), sum_money(upper), unbounded)


def reading_notes(found: Iterable[OtherReading]) -> list[str]:
    """A line for each ledger whose grants a what-if read in the accounts they were counted
    in, though its run used another reading (:class:`~policyrules.ledger_bases.OtherReading`)."""
    return [f"note: {r.text()}" for r in found]


@attrs.frozen
class WhatIf:
    """The decisions that changed and the totals of both runs; ``read_otherwise``: the
    earlier grants read by a run with another reading than they were counted by."""

    changes: tuple[Change, ...]
    before: Totals
    after: Totals
    decisions: int  # how many (provision, subject) pairs the two runs hold between them
    read_otherwise: tuple[OtherReading, ...] = ()
    notes_zh: tuple[str, ...] = attrs.field(default=(), eq=False, kw_only=True)  # of those

    def text(self) -> str:
        """A few lines for people: one per changed decision, then the totals."""
        lines = [c.text() for c in self.changes] or ["no decision changes"]
        lines.append("")
        lines.append(f"{len(self.changes)} of {self.decisions} decision(s) change")
        for name in ("exact", "upper"):
            was: Money = getattr(self.before, name)
            now: Money = getattr(self.after, name)
            what = "exact amounts" if name == "exact" else "upper bounds"
            lines.append(totals_line(what, was, now))
        if self.before.unbounded or self.after.unbounded:
            lines.append(
                f"eligible awards with no bound: {self.before.unbounded} → {self.after.unbounded}"
            )
        lines.extend(reading_notes(self.read_otherwise))
        return "\n".join(lines) + "\n"

    def text_zh(self) -> str:
        """:meth:`text` in Chinese (the words of ``policyrules.diff_zh``)."""
        lines = [c.text_zh() for c in self.changes] or [NO_CHANGE_ZH]
        lines.append("")
        lines.append(count_zh(len(self.changes), self.decisions))
        b, a = self.before, self.after
        lines.extend(totals_zh(b.exact, a.exact, b.upper, a.upper))
        if b.unbounded or a.unbounded:
            lines.append(unbounded_zh(b.unbounded, a.unbounded))
        lines.extend(self.notes_zh)
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        """JSON-ready data: money as exact 元 text and as fen; ``text_zh`` on each change
        and on the whole, the Chinese text (:meth:`text_zh`)."""

        return {
            "changes": [{**c.to_json(), "text_zh": c.text_zh()} for c in self.changes],
            "changed": len(self.changes),
            "decisions": self.decisions,
            "totals": {
                "exact": totals_json(self.before, self.after, "exact"),
                "upper": totals_json(self.before, self.after, "upper"),
                "unbounded": {"before": self.before.unbounded, "after": self.after.unbounded},
            },
            "read_otherwise": [r.to_json() for r in self.read_otherwise],
            "text_zh": self.text_zh(),
        }


def totals_line(what: str, was: Money, now: Money) -> str:
    """``exact amounts: 6000 万元 → 6200 万元 (+200 万元)``: the three in one unit."""
    before, after, delta = cn_texts(was.fen, now.fen, now.fen - was.fen)
    return f"{what}: {before} → {after} ({signed(now - was, delta)})"


def signed(m: Money, shown: str | None = None) -> str:
    """A difference, ``+200 万元``, ``-40 万元``, ``±0``; ``shown``: ``m`` as written beside
    other amounts (:func:`~policyrules.runtime.money.cn_texts`)."""
    text = m.format_cn() if shown is None else shown
    return f"+{text}" if m.fen > 0 else text if m.fen else "±0"


def _label(d: Decision) -> str:
    """京经信发〔2025〕50号 第3条, 京医保发〔2025〕5号（十九）: as the Chinese texts name it."""
    return heading_zh(d.document_number or d.document, d.clause_label)


def compare(
    before: Sequence[Decision], after: Sequence[Decision], words: Words | None = None
) -> WhatIf:
    """The decisions of ``after`` against those of ``before``, paired by provision and
    subject (and by order among pairs that repeat), in the order of ``after`` then of the
    decisions found only in ``before``.  ``words`` (the policy's) name each change's
    measure and subject in Chinese as the letter does; without them, names stand for
    titles."""
    w = words or no_words()

    def keyed(ds: Sequence[Decision]) -> dict[tuple[str, str | None, int], Decision]:
        seen: dict[tuple[str, str | None], int] = {}
        out = {}
        for d in ds:
            n = seen.get((d.provision, d.subject), 0)
            seen[(d.provision, d.subject)] = n + 1
            out[(d.provision, d.subject, n)] = d
        return out

    was, now = keyed(before), keyed(after)
    changes = []
    for key in [*now, *(k for k in was if k not in now)]:
        a, b = was.get(key), now.get(key)
        oa = None if a is None else Outcome.of(a)
        ob = None if b is None else Outcome.of(b)
        if oa != ob:
            d = b if b is not None else a
            assert d is not None
            measure = titled_zh(
                w,
                w.provisions.get(d.provision),
                d.provision,
                (d.document_number, d.document, d.clause),
            )
            said = None if d.subject is None else subject_zh(w, d.subject)
            changes.append(
                Change(
                    d.provision, d.subject, _label(d), oa, ob, measure_zh=measure, subject_zh=said
                )
            )
    return WhatIf(tuple(changes), Totals.of(before), Totals.of(after), len(was.keys() | now.keys()))


def what_if(
    policy: Policy,
    facts: Facts | Mapping[str, Any],
    *,
    parameters: Mapping[str, Any] | None = None,
    assumptions: Mapping[str, Any] | None = None,
    ledger: LedgerStore | Ledger | Iterable[Grant | Mapping[str, Any]] | None = None,
    as_of: dt.date | str | None = None,
    ledger_file: str | None = None,
    facts_file: str | None = None,
    before_parameters: Mapping[str, Any] | None = None,
) -> WhatIf:
    """``facts`` evaluated as they are (with ``before_parameters``, the baseline: a rate
    set before as after), then with ``parameters`` and ``assumptions`` on top
    (values read as :meth:`policyrules.Policy.evaluate` reads them), compared by
    :func:`compare`.  Nothing is recorded: a ledger store is only read.  Earlier grants
    counted by another reading than a run's are read in the accounts they were counted in
    and listed in ``read_otherwise`` (an evaluation that pays refuses such a run: E335);
    ``ledger_file`` names the ledger (its file) there, ``facts_file`` the facts' (their
    ``ledger:``), in English and in Chinese (``事实文件 firm-a.yaml 中的台账``), as a
    registry's diff names its ledger table.

    :raises FactsError: bad facts, parameters or assumptions (as ``Policy.evaluate``).
    :raises LedgerError: bad earlier grants (as ``Policy.evaluate``).
    """
    if isinstance(ledger, Iterable) and not isinstance(ledger, (Ledger, LedgerStore)):
        ledger = policy.read_ledger(ledger)  # read once, used twice
    found: set[OtherReading] = set()
    base = dict(before_parameters or {})
    before = policy.evaluate(
        facts,
        ledger=ledger,
        as_of=as_of,
        parameters=base,
        explain=False,
        on_other_reading=found.add,
        ledger_file=ledger_file,
        facts_file=facts_file,
    )
    after = policy.evaluate(
        facts,
        ledger=ledger,
        as_of=as_of,
        parameters={**base, **(parameters or {})},
        assumptions=assumptions,
        explain=False,
        on_other_reading=found.add,
        ledger_file=ledger_file,
        facts_file=facts_file,
    )
    changed = compare(before.decisions, after.decisions, policy.words)
    read = tuple(sorted(found, key=attrs.astuple))
    return attrs.evolve(changed, read_otherwise=read, notes_zh=notes_zh(policy.words, read))
