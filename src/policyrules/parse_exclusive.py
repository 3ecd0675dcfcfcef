"""Parse the exclusivity statements (issue 11 §6) into :mod:`policyrules.syntax_exclusive`.

A mixin of the parser's transformer: one method per grammar rule (``exclusive``,
``cumulative``, ``supersedes``).  The words after ``keep`` and ``ties by`` are names in the
grammar, so a misspelling is a located error here (E123, E124) rather than a parse error far
from it; an award listed twice is E125.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from lark import Token, v_args

from . import syntax_exclusive as x
from .errors import Diagnostic, RuleSyntaxError, Span

__all__ = ["ExclusiveRules", "anchored_window"]


class ExclusiveRules:
    """Transformer methods for ``exclusive``, ``cumulative`` and ``supersedes``; the class
    using it provides ``_sp(meta)`` and ``_at(token)`` (spans)."""

    def _sp(self, meta: Any) -> Span:  # pragma: no cover - provided by the transformer
        raise NotImplementedError

    def _at(self, tok: Token) -> Span:  # pragma: no cover - provided by the transformer
        raise NotImplementedError

    def _award_list(self, toks: list[Any]) -> tuple[str, ...]:
        seen: set[str] = set()
        for tok in toks:
            if str(tok) in seen:
                raise RuleSyntaxError(
                    Diagnostic(
                        "E125",
                        f"award '{tok}' is listed twice",
                        self._at(tok),
                        hint="name each award once",
                    )
                )
            seen.add(str(tok))
        return tuple(str(t) for t in toks)

    @v_args(meta=True)
    def exclusive(self, meta: Any, c: list[Any]) -> x.Exclusive:
        """``exclusive NAME ("," NAME)+ "among" NAME "keep" NAME ["ties" "by" NAME]``."""
        *names, among, keep, ties = c
        if str(keep) not in x.KEEP_RULES:
            raise RuleSyntaxError(
                Diagnostic(
                    "E123",
                    f"unknown rule 'keep {keep}'",
                    self._at(keep),
                    hint="write `keep highest` (就高) or `keep listed` (the first listed wins)",
                )
            )
        if ties is not None and (str(ties) not in x.TIE_RULES or str(keep) == "listed"):
            why = (
                "`keep listed` has no ties: the order of the list decides"
                if str(keep) == "listed"
                else "write `ties by listed` (equal amounts go to the award listed first)"
            )
            raise RuleSyntaxError(
                Diagnostic("E124", f"unknown tie rule 'ties by {ties}'", self._at(ties), hint=why)
            )
        return x.Exclusive(
            self._award_list(names),
            str(among),
            str(keep),
            None if ties is None else str(ties),
            span=self._sp(meta),
            name_span=self._at(names[0]),
        )

    @v_args(meta=True)
    def cumulative(self, meta: Any, c: list[Any]) -> x.Cumulative:
        """``cumulative NAME ("," NAME)+ STRING``."""
        *names, reason = c
        return x.Cumulative(
            self._award_list(names),
            _unquote(reason),
            span=self._sp(meta),
            name_span=self._at(names[0]),
        )

    @v_args(meta=True)
    def supersedes(self, meta: Any, c: list[Any]) -> x.Supersedes:
        """``supersedes NAME [label]``."""
        doc, label = c
        text = None if label is None else str(label)
        if label is not None and label.type == "STRING":
            text = _unquote(label)
        return x.Supersedes(str(doc), text, span=self._sp(meta), name_span=self._at(doc))

    @v_args(meta=True)
    def prevails(self, meta: Any, c: list[Any]) -> x.Prevails:
        """``prevails over NAME``, the name ``earlier`` (E127 for another)."""
        (word,) = c
        if str(word) != "earlier":
            raise RuleSyntaxError(
                Diagnostic(
                    "E127",
                    f"unknown 'prevails over {word}'",
                    self._at(word),
                    hint="write `prevails over earlier` (此前发布的有关规定与本文不一致的，"
                    "以此为准); a named document is `supersedes DOC [LABEL]`",
                )
            )
        return x.Prevails(span=self._sp(meta), name_span=self._at(word))


_ESCAPE = re.compile(r'\\(["\\])')


def _unquote(tok: Any) -> str:
    return _ESCAPE.sub(r"\1", str(tok)[1:-1])


def anchored_window(c: list[Any], at: Any) -> int:
    """``over N years from first grant`` (自首次获得支持起 N 年内): N; the two words after
    ``from`` are names in the grammar (no new keywords), so any other words are E126 here.

    :raises RuleSyntaxError: E126 for ``from`` followed by other words than ``first grant``."""
    years, first, grant = c
    if (str(first), str(grant)) != ("first", "grant"):
        raise RuleSyntaxError(
            Diagnostic(
                "E126",
                f"unknown window start 'from {first} {grant}'",
                at(first),
                hint="write `over 3 years from first grant` (自首次获得支持起三年内), or "
                "`over 3 years` for a rolling window",
            )
        )
    return int(Decimal(str(years)))
