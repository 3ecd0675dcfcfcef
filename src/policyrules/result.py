"""Results of an evaluation: one :class:`Decision` per provision and subject, with its trace.

:class:`Result` sits above :mod:`policyrules.explain` (its ``explain()`` and ``to_json()``
call it); the decisions themselves live in :mod:`policyrules.decisions`, below both, and are
re-exported here.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Sequence
from functools import partial

import attrs

from .bounds import paused_gc
from .decisions import CapEvent, Decision, Step
from .errors import Diagnostic, PolicyRulesError
from .explain import decision_text, explain_text, result_json
from .explain_zh import add_text_zh, explain_text_zh, no_words
from .explain_zh_refused import RefusedZh
from .runtime.bases import NOT_KEYING, Basis
from .runtime.ledger import Grant, GrantRow, Grants, Ledger
from .words import Words

__all__ = ["LANGUAGES", "CapEvent", "Decision", "Result", "Step", "check_lang"]

# The languages of the text: Chinese (the default) and English.
LANGUAGES = ("zh", "en")

_set = object.__setattr__
_TEXTS = frozenset({str})  # the type of a decision's text (decision_texts)


def _readings(grants: Iterable[Grant], decisions: Iterable[Decision]) -> set[Basis]:
    """(provision, assumption, value) of each assumption a decision of a provision granted
    used, as ``Ledger.bases`` records them (the assumptions that key no account left out)."""
    paid = {g.provision for g in grants}
    return {
        (d.provision, name, value)
        for d in decisions
        if d.provision in paid
        for name, value in d.assumptions
        if name not in NOT_KEYING
    }


def _readings_of_result(
    result: weakref.ref[Result], make: Callable[[], tuple[Decision, ...]], grants: tuple[Grant, ...]
) -> set[Basis]:
    """:func:`_readings` of a result's decisions: its own while it lives (made once), else
    made again (the same decisions)."""
    alive = result()
    return _readings(grants, alive.decisions if alive is not None else make())


def check_lang(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGUAGES`.

    :raises PolicyRulesError: E425, another language."""
    if lang not in LANGUAGES:
        raise PolicyRulesError(
            Diagnostic(
                "E425", f"no text in language {lang!r}", hint="use zh (中文) or en (English)"
            )
        )
    return lang


class Result:
    """Every decision of one evaluation, and the grants it adds to the ledger.

    ``Result(decisions, grants, assumptions)`` holds them as given.  The evaluator may
    instead hand over how to make them (:meth:`deferred`): they are then made on first
    access and kept, so an evaluation without explanations builds no
    :class:`Decision` nobody looks at.  Either way the result reads, compares and hashes
    by its decisions, grants and assumptions."""

    __slots__ = (
        "__weakref__",
        "_decisions",
        "_grant_rows",
        "_grants",
        "_make",
        "_make_grants",
        "_texts",
        "_texts_zh",
        "_words",
        "assumptions",
    )

    _decisions: tuple[Decision, ...] | None
    _grants: Grants | None
    # the grants as the evaluator keeps them, each a Grant or its row (GrantRow), until made
    _grant_rows: Callable[[], Sequence[Grant | GrantRow]] | None
    _make: Callable[[], tuple[Decision, ...]] | None
    _make_grants: Callable[[], tuple[Grant, ...]] | None
    _texts: Callable[[bool], list[Decision | str]] | None
    _texts_zh: Callable[[Words], list[Decision | str | RefusedZh]] | None
    _words: Words | None
    assumptions: tuple[tuple[str, str], ...]

    def __init__(
        self,
        decisions: tuple[Decision, ...],
        grants: tuple[Grant, ...],
        assumptions: tuple[tuple[str, str], ...] = (),
    ) -> None:
        made = tuple(decisions)
        _set(self, "_decisions", made)
        granted = tuple(grants)
        _set(self, "_grants", Grants(granted, partial(_readings, granted, made)))
        self._none_deferred()
        _set(self, "assumptions", tuple(assumptions))

    def _none_deferred(self) -> None:
        for name in ("_make", "_make_grants", "_grant_rows", "_texts", "_texts_zh", "_words"):
            _set(self, name, None)

    @classmethod
    def deferred(
        cls,
        decisions: Callable[[], tuple[Decision, ...]],
        grants: Callable[[], tuple[Grant, ...]],
        assumptions: tuple[tuple[str, str], ...],
        *,
        texts: Callable[[bool], list[Decision | str]] | None = None,
        texts_zh: Callable[[Words], list[Decision | str | RefusedZh]] | None = None,
        grant_rows: Callable[[], Sequence[Grant | GrantRow]] | None = None,
    ) -> Result:
        """A result whose decisions ``decisions()`` and grants ``grants()`` return, each
        called once, when first needed.  ``texts(full)``, if given, says the decisions in
        order: each decision's English text (``decision_text``) where the evaluator can
        render it without making the decision, else the decision (:meth:`decision_texts`);
        unless ``full``, one not eligible by its line of the whole text
        (:class:`~policyrules.explain_en_lines.Refused`).  ``texts_zh(words)``, if given, the same
        in Chinese for the whole text (``explain_zh.explain_text_zh``): each decision's
        text (:func:`~policyrules.explain_zh.decision_text_zh`) or, one not eligible, its
        line (``explain_zh_refused.RefusedZh``).  ``grant_rows()``, if given, the grants as the
        evaluator keeps them for the whole texts, each a :class:`Grant` or its row
        (``(provision, path, fen, year)``), without making them."""
        self = cls.__new__(cls)
        _set(self, "_decisions", None)
        _set(self, "_grants", None)
        _set(self, "_make", decisions)
        _set(self, "_make_grants", grants)
        _set(self, "_texts", texts)
        _set(self, "_texts_zh", texts_zh)
        _set(self, "_grant_rows", grant_rows)
        _set(self, "_words", None)
        _set(self, "assumptions", tuple(assumptions))
        return self

    def with_words(self, words: Words) -> Result:
        """This result, its Chinese text saying names by the titles of ``words`` (the
        policy's: :meth:`policyrules.Policy.evaluate` gives them).  Not part of its value:
        equality, hashing and pickling ignore them."""
        _set(self, "_words", words)
        return self

    @property
    def decisions(self) -> tuple[Decision, ...]:
        """One :class:`Decision` per provision and subject, provisions in policy order."""
        made = self._decisions
        if made is None:
            make = self._make
            if make is None:  # another thread made them meanwhile (set before cleared)
                return self.decisions
            made = make()
            _set(self, "_decisions", made)
            _set(self, "_make", None)
            _set(self, "_texts", None)
            _set(self, "_texts_zh", None)
        return made

    @property
    def grants(self) -> Grants:
        """The grants this evaluation makes, in the order it made them: a tuple that knows
        the readings they were counted by (:class:`~policyrules.runtime.ledger.Grants`)."""
        made = self._grants
        if made is None:
            make = self._make_grants
            if make is None:  # another thread made them meanwhile (set before cleared)
                return self.grants
            granted = make()
            made = Grants(granted, self._readings_later(granted))
            _set(self, "_grants", made)
            _set(self, "_make_grants", None)
            _set(self, "_grant_rows", None)
        return made

    def _granted(self) -> Sequence[Grant | GrantRow]:
        """The grants, or their rows where the evaluator keeps them and they are not made
        (the whole texts' ``granted``: each said alike)."""
        rows = self._grant_rows
        if rows is None:
            return self.grants
        return rows()

    def _said(self, full: bool = True) -> list[Decision | str]:
        """Each decision, or its English text where the evaluator renders it without it
        (unless ``full``, one not eligible by its line of the whole text)."""
        texts = self._texts
        return list(self.decisions) if texts is None else texts(full)

    def decision_texts(self) -> tuple[str, ...]:
        """The English text of each decision, in order: what
        :func:`~policyrules.explain.decision_text` gives for each (without the trace),
        character for character.  Where the decisions have not been made, the evaluator
        renders the frequent ones (a paid award, a claim a condition refused) from its
        record of the claim without making them: the cheap way to say every claim of a
        large evaluation (issue 10 §1).  Rendered afresh at each call (not kept)."""
        said = self._said()
        if set(map(type, said)) <= _TEXTS:  # (each said: most, found in C)
            return tuple(said)  # type: ignore[arg-type]
        return tuple([d if isinstance(d, str) else decision_text(d) for d in said])

    def ledger(self) -> Ledger:
        """The grants this evaluation makes as a :class:`Ledger`, with the readings they
        were counted by (``Ledger.bases``): for each provision granted, each assumption its
        decisions used (``annual_cap_year = approval``), as a ledger file's ``bases:``
        records them (the same readings :attr:`grants` carries: handed on either way, a
        later run under another reading is refused, E335; issue 9 §3).  Grants built by
        hand carry none and are taken as counted by the defaults."""
        return Ledger(self.grants, bases=self.grants.bases)

    def _readings_later(self, grants: tuple[Grant, ...]) -> Callable[[], set[Basis]]:
        """How the grants find their readings (:attr:`Grants.bases`) when first asked,
        without holding this result: a result and its grants holding each other would be
        freed only by the cyclic collector, late (the grants of a result let go, or kept
        longer than it, each live as long as they would alone).  The decisions made, or
        the result's own through a weak reference while it lives, else made again."""
        make = self._make
        if make is None:  # (made, or being made by another thread)
            return partial(_readings, grants, self.decisions)
        return partial(_readings_of_result, weakref.ref(self), make, grants)

    def __setattr__(self, name: str, value: object) -> None:
        raise attrs.exceptions.FrozenInstanceError

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError

    def __getstate__(self) -> tuple[object, ...]:
        # Made, for copy and pickle, with the words its Chinese text is said in (without
        # them, an unpickled result said `200 万元 per product` for the clause's own words).
        return (*self._key(), self._words)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        decisions, grants, assumptions, *words = state  # (no words: pickled before them)
        _set(self, "_decisions", decisions)
        _set(self, "_grants", grants)
        self._none_deferred()
        _set(self, "assumptions", assumptions)
        _set(self, "_words", words[0] if words else None)

    def _key(self) -> tuple[object, ...]:
        return (self.decisions, self.grants, self.assumptions)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Result)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Result(decisions={self.decisions!r}, grants={self.grants!r}, "
            f"assumptions={self.assumptions!r})"
        )

    def explain(self, *, verbose: bool = False, lang: str = "zh") -> str:
        """The decisions as text for a person, citing each clause's own words: in Chinese
        (``lang="zh"``, the default: status words, amounts, caps and conditions in words,
        facts by their titles) or in English (``lang="en"``).  ``verbose`` adds the trace.

        :raises PolicyRulesError: E425, a language other than ``zh`` or ``en``."""
        if check_lang(lang) == "en":
            said = None if verbose else self._said(full=False)
            return explain_text(self, verbose=verbose, said=said, granted=self._granted())
        texts_zh = self._texts_zh
        if texts_zh is None or verbose:
            return explain_text_zh(self, self._words, verbose=verbose)
        words = self._words or no_words()
        return explain_text_zh(self, words, said=texts_zh(words), granted=self._granted())

    def to_json(self, *, all_earlier: bool = False) -> dict[str, object]:
        """The same content as plain JSON-ready data (money as exact 元 text); a cap lists
        the last 3 earlier claims on it, or with ``all_earlier`` every one.  The keys are
        English and stable; ``text_zh`` on each decision and on the whole gives the Chinese
        text of :meth:`explain`."""
        # Without the cyclic collector, which would walk each young dict and list of the
        # answer (a tree of new objects, no cycle among them) about a quarter as long again
        # as they take to make; what is made joins the oldest generation (.bounds).
        with paused_gc(promote=True):
            texts_zh = self._texts_zh
            if texts_zh is None:
                data = result_json(self, all_earlier=all_earlier)
                add_text_zh(data, self, self._words)
                return data
            # The Chinese texts said from the evaluator's rows, before the decisions are
            # made (which lets the rows go); the decisions then made for the English keys.
            words = self._words or no_words()
            said, granted = texts_zh(words), self._granted()
            data = result_json(self, all_earlier=all_earlier)
            add_text_zh(data, self, words, said=said, granted=granted)
            return data
