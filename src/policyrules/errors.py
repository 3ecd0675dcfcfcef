"""Errors and diagnostics: one root class, one subclass per stage, rendered with a caret.

Every error the library raises for bad input derives from :class:`PolicyRulesError` and
from a builtin (``ValueError`` or ``LookupError``), so callers may catch either.  An error
carries one or more :class:`Diagnostic` values with a code, a :class:`Span`, a message and
a hint; :func:`render` turns them into the ``file:line:col`` text authors read:

>>> span = Span("a.rule", 2, 17, 2, 27, clause_path=("doc", "3"))
>>> d = Diagnostic("E203", "unknown fact 'aproved_on'", span, hint="did you mean 'approved_on'?")
>>> print(render(d, "x\\n  eligible when aproved_on in force\\n"))
a.rule:2:17: error[E203]: unknown fact 'aproved_on'
    2 |   eligible when aproved_on in force
      |                 ^^^^^^^^^^
      = hint: did you mean 'approved_on'?
      = in: doc > 3
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "CalendarError",
    "Diagnostic",
    "EvaluationError",
    "FactsError",
    "LedgerError",
    "PolicyRulesError",
    "RuleCheckError",
    "RuleSyntaxError",
    "Span",
    "did_you_mean",
    "render",
]


@attrs.frozen
class Span:
    """A region of a source file; lines and columns count from 1, ``end_col`` is exclusive."""

    file: str
    line: int
    col: int
    end_line: int
    end_col: int
    clause_path: tuple[str, ...] = ()

    def with_clause(self, path: tuple[str, ...]) -> Span:
        """The same region, labelled with the clause it lies in."""
        return attrs.evolve(self, clause_path=path)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@attrs.frozen
class Diagnostic:
    """One finding: a stable code (``E1xx`` syntax, ``E2xx`` check, ``E3xx`` facts,
    ``E4xx`` evaluation, ``E5xx`` calendar), a message, where, and how to fix it."""

    code: str
    message: str
    span: Span | None = None
    hint: str | None = None
    severity: str = "error"

    def render(self, source: str | None = None) -> str:
        """Render with the source line and a caret when ``source`` is given."""
        return render(self, source)


def render(diagnostic: Diagnostic, source: str | None = None) -> str:
    """``file:line:col: error[CODE]: message``, then the line, a caret, the hint and the clause."""
    d = diagnostic
    where = f"{d.span}: " if d.span else ""
    lines = [f"{where}{d.severity}[{d.code}]: {d.message}"]
    if d.span is not None and source is not None:
        src_lines = source.splitlines()
        if 1 <= d.span.line <= len(src_lines):
            text = src_lines[d.span.line - 1].replace("\t", " ")
            gutter = f"{d.span.line:>5}"
            start = max(d.span.col - 1, 0)
            if d.span.end_line == d.span.line and d.span.end_col > d.span.col:
                width = d.span.end_col - d.span.col
            else:
                width = max(len(text) - start, 1)
            width = max(1, min(width, max(len(text) - start, 1)))
            # Full-width characters take two terminal cells: widen the caret to match.
            pad = _cells(text[:start])
            caret = "^" * max(1, _cells(text[start : start + width]))
            lines.append(f"{gutter} | {text}")
            lines.append(f"{' ' * 5} | {' ' * pad}{caret}")
    if d.hint:
        lines.append(f"{' ' * 6}= hint: {d.hint}")
    if d.span is not None and d.span.clause_path:
        lines.append(f"{' ' * 6}= in: {' > '.join(d.span.clause_path)}")
    return "\n".join(lines)


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest candidate, or ``None`` when nothing is close."""
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


class PolicyRulesError(Exception):
    """The root of every error this library raises for bad input."""

    def __init__(
        self,
        diagnostics: Sequence[Diagnostic] | Diagnostic | str,
        *,
        sources: dict[str, str] | None = None,
    ) -> None:
        if isinstance(diagnostics, str):
            diagnostics = Diagnostic(self.default_code, diagnostics)
        if isinstance(diagnostics, Diagnostic):
            diagnostics = (diagnostics,)
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        self.sources: dict[str, str] = dict(sources or {})
        super().__init__(self.diagnostics[0].message if self.diagnostics else "")

    default_code = "E000"

    @property
    def code(self) -> str:
        """The first diagnostic's code."""
        return self.diagnostics[0].code

    @property
    def span(self) -> Span | None:
        """The first diagnostic's span."""
        return self.diagnostics[0].span

    @property
    def hint(self) -> str | None:
        """The first diagnostic's hint."""
        return self.diagnostics[0].hint

    def render(self) -> str:
        """Every diagnostic, rendered against the sources the error carries."""
        parts = []
        for d in self.diagnostics:
            src = self.sources.get(d.span.file) if d.span else None
            parts.append(render(d, src))
        return "\n\n".join(parts)

    def __str__(self) -> str:
        return self.render()


class RuleSyntaxError(PolicyRulesError, ValueError):
    """A ``.rule`` file does not parse."""

    default_code = "E100"


class RuleCheckError(PolicyRulesError, ValueError):
    """A ``.rule`` file parses but names, types or units are wrong."""

    default_code = "E200"


class FactsError(PolicyRulesError, ValueError):
    """A facts, ledger, parameter or assumption input breaks the policy's schema."""

    default_code = "E300"


class LedgerError(FactsError):
    """A ledger of earlier grants is malformed, or its store refuses a read or a write."""

    default_code = "E320"


class EvaluationError(PolicyRulesError, ValueError):
    """Evaluation cannot go on without an answer the caller must give."""

    default_code = "E400"


class CalendarError(EvaluationError):
    """A date falls in a year whose official holiday schedule is not published."""

    default_code = "E501"
