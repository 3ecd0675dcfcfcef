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
import functools
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs

from .terminal import cells, printable

__all__ = [
    "MAX_QUOTED",
    "MAX_SHOWN_LINE",
    "MAX_SHOWN_TEXT",
    "CalendarError",
    "Diagnostic",
    "EvaluationError",
    "FactsError",
    "FactsTypeError",
    "GrantConflict",
    "LedgerError",
    "PolicyNotFoundError",
    "PolicyRulesError",
    "RuleCheckError",
    "RuleSyntaxError",
    "Span",
    "TableError",
    "did_you_mean",
    "excerpt",
    "first_line",
    "int_text",
    "int_writable",
    "line_break_hint",
    "quoted",
    "render",
    "render_warnings",
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


#: The most characters of one source line shown under an error: a window around the caret.
MAX_SHOWN_LINE = 160
#: The most characters of a message or hint shown (a message may quote a huge value).
MAX_SHOWN_TEXT = 1000
#: The most characters of one value from the input that a message quotes (:func:`excerpt`).
MAX_QUOTED = 40


def excerpt(text: str, show: Callable[[str], str] = str) -> str:
    """``text``, a value from the input, as a message quotes it: ``show(text)`` (``repr``,
    say) when it has at most :data:`MAX_QUOTED` characters, else ``show`` of its first
    :data:`MAX_QUOTED`, ``…`` and how long it is.  A message about a value holds only a
    bounded excerpt of it, however large the value (a 100,001-digit number):

    >>> excerpt("2026年")
    '2026年'
    >>> excerpt("1" * 100_001)
    '1111111111111111111111111111111111111111… (100001 digits)'
    >>> excerpt("x" * 50, repr)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'… (50 characters)"
    """
    if len(text) <= MAX_QUOTED:
        return show(text)
    unit = "digits" if text.isascii() and text.isdigit() else "characters"
    return f"{show(text[:MAX_QUOTED])}… ({len(text)} {unit})"


def line_break_hint(bare: str) -> str:
    """The hint for a number's text refused for a line break at its end (``"100\\n"``, what
    a YAML block scalar ``|`` gives), ``bare`` being the text without it, which is read.

    >>> print(line_break_hint("100")[:40])
    write "100": a YAML block scalar (`|`) k
    """
    shown = excerpt(bare, '"{}"'.format)
    return (
        f"write {shown}: a YAML block scalar (`|`) keeps the line break, a plain or quoted "
        "value on the key's line does not"
    )


def quoted(
    value: object,
    text: Callable[[str], str] = repr,
    other: Callable[[object], str] = repr,
) -> str:
    """``value`` from the input as a message quotes it, the one place that tells text, a
    whole number and any other value apart: a text as an :func:`excerpt` shown by ``text``
    (``'P1 '``), a whole number by :func:`int_text` (``True`` is not one), any other value
    as an excerpt of ``other(value)``.  Defaults to ``repr``-like quoting.

    >>> quoted("P1 "), quoted(12), quoted({"rate": 1})
    ("'P1 '", '12', "{'rate': 1}")
    """
    if isinstance(value, str):
        return excerpt(value, text)
    if isinstance(value, int) and not isinstance(value, bool):
        return int_text(value)
    return excerpt(other(value))


@functools.lru_cache(maxsize=4)
def _ten_to(power: int) -> int:
    return int(10**power)


def int_writable(value: int) -> bool:
    """Whether ``str(value)`` works: its digits (the sign aside) are at most
    ``sys.get_int_max_str_digits()`` (4,300 by default; 0 is no limit), the bound beyond
    which Python refuses to write an int as text (a ``ValueError``).  Decided by its bit
    length, or where that cannot tell (3 to 4 bits a digit) by comparing with 10 to that
    power: never by writing it."""
    limit = sys.get_int_max_str_digits()
    if limit == 0:
        return True
    bits = abs(value).bit_length()
    # 2**(3 * limit) < 10**limit < 2**(4 * limit): below or above both, the bits decide.
    if bits <= 3 * limit:
        return True
    if bits > 4 * limit:
        return False
    return abs(value) < _ten_to(limit)


def int_text(value: int) -> str:
    """A whole number from the input as a message says it: its digits, cut as an
    :func:`excerpt` (``1111…  (100001 digits)``), or where Python would not write it
    (:func:`int_writable`), its size:

    >>> int_text(10**5000)
    'a whole number of about 5000 digits'
    """
    if not int_writable(value):
        digits = round(value.bit_length() * 0.30103)
        return f"{'a negative' if value < 0 else 'a'} whole number of about {digits} digits"
    return excerpt(str(value))


def render(diagnostic: Diagnostic, source: str | None = None) -> str:
    """``file:line:col: error[CODE]: message``, then the line, a caret, the hint and the clause.

    Every piece of input shown (file name, message, source line, hint) passes through
    :func:`~policyrules.terminal.printable`; the caret is placed by terminal cells of the
    escaped line, so it stays under its text whatever the line holds.  A source line longer
    than :data:`MAX_SHOWN_LINE` characters is shown as a window around the caret, and a
    message or hint is cut after :data:`MAX_SHOWN_TEXT` characters."""
    return _render(diagnostic, None if source is None else source.split("\n"))


def render_warnings(warnings: Sequence[Diagnostic], sources: Mapping[str, str]) -> str:
    """Each warning rendered against its file's text in ``sources`` (file -> text), then a
    count: what ``policyrules check`` prints before ``ok``."""
    parts = [render(w, sources.get(w.span.file) if w.span else None) for w in warnings]
    n = len(warnings)
    return "\n\n".join(parts) + f"\n\n{n} warning{'s' if n != 1 else ''}\n"


def _clip(text: str) -> str:
    if len(text) <= MAX_SHOWN_TEXT:
        return printable(text)
    rest = len(text) - MAX_SHOWN_TEXT
    return f"{printable(text[:MAX_SHOWN_TEXT])}... ({rest} more characters)"


def _render(d: Diagnostic, src_lines: Sequence[str] | None) -> str:
    where = f"{_clip(str(d.span))}: " if d.span else ""
    lines = [f"{where}{d.severity}[{d.code}]: {_clip(d.message)}"]
    # Lines as the readers count them (Lark and JSON: "\n"), not str.splitlines(), which
    # also breaks at form feeds and other controls.
    if d.span is not None and src_lines is not None and 1 <= d.span.line <= len(src_lines):
        text = src_lines[d.span.line - 1].removesuffix("\r")  # a tab shows as \x09
        start = max(d.span.col - 1, 0)
        if d.span.end_line == d.span.line and d.span.end_col > d.span.col:
            width = d.span.end_col - d.span.col
        else:
            width = max(len(text) - start, 1)
        width = max(1, min(width, max(len(text) - start, 1)))
        lead, tail = "", ""
        if len(text) > MAX_SHOWN_LINE:
            # A window around the caret: some context before, the marked text (cut if
            # long), some context after.
            width = min(width, MAX_SHOWN_LINE // 2)
            lo = max(0, start - MAX_SHOWN_LINE // 4)
            hi = min(len(text), lo + MAX_SHOWN_LINE, start + width + MAX_SHOWN_LINE // 4)
            lead, tail = ("..." if lo > 0 else ""), ("..." if hi < len(text) else "")
            text, start = text[lo:hi], start - lo
        # Escaping works character by character, so the escaped prefix is the prefix of the
        # escaped line; full-width characters take two cells, and so two carets.
        pad = cells(lead + printable(text[:start]))
        caret = "^" * max(1, cells(printable(text[start : start + width])))
        lines.append(f"{d.span.line:>5} | {lead}{printable(text)}{tail}")
        lines.append(f"{' ' * 5} | {' ' * pad}{caret}")
    if d.hint:
        lines.append(f"{' ' * 6}= hint: {_clip(d.hint)}")
    if d.span is not None and d.span.clause_path:
        lines.append(f"{' ' * 6}= in: {_clip(' > '.join(d.span.clause_path))}")
    return "\n".join(lines)


def first_line(exc: BaseException) -> str:
    """The first line of ``exc``'s message, stripped, as a diagnostic quotes another
    library's error (DuckDB, Spark, YAML: their messages run to many lines); the
    exception's class name when its message is empty."""
    for line in str(exc).splitlines():
        if line.strip():
            return line.strip()
    return type(exc).__name__


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
        split: dict[str, list[str]] = {}  # each file split into lines once
        for d in self.diagnostics:
            src = self.sources.get(d.span.file) if d.span else None
            if d.span is not None and src is not None and d.span.file not in split:
                split[d.span.file] = src.split("\n")
            parts.append(_render(d, split.get(d.span.file) if d.span else None))
        return "\n\n".join(parts)

    def __str__(self) -> str:
        return self.render()


class RuleSyntaxError(PolicyRulesError, ValueError):
    """A ``.rule`` file does not parse."""

    default_code = "E100"


class PolicyNotFoundError(PolicyRulesError, FileNotFoundError):
    """No policy at the path given (E104): nothing there to read, so no syntax to be wrong
    (it was a :class:`RuleSyntaxError` E100 before it had a code of its own); also a
    ``FileNotFoundError``, as ``open`` raises for a missing file."""

    default_code = "E104"


class RuleCheckError(PolicyRulesError, ValueError):
    """A ``.rule`` file parses but names, types or units are wrong."""

    default_code = "E200"


class FactsError(PolicyRulesError, ValueError):
    """A facts, ledger, parameter or assumption input breaks the policy's schema."""

    default_code = "E300"


class FactsTypeError(FactsError, TypeError):
    """An input given from Python that is not of a type its parser reads
    (``Money.parse(200)``): also a ``TypeError``, which it was before it had a code."""

    default_code = "E303"


class LedgerError(FactsError):
    """A ledger of earlier grants is malformed, or its store refuses a read or a write."""

    default_code = "E320"


class GrantConflict(LedgerError):
    """Two ledgers record one payment with two amounts (E326): a facts file's ``ledger:``
    against a store or a ledger file.  (One ledger listing it twice is a plain
    :class:`LedgerError`.)  ``policyrules serve`` answers it 409: the document disagrees
    with the store's record, not with the schema."""

    default_code = "E326"


class TableError(FactsError):
    """A registry table (batch input) breaks the policy's schema: located by file, row and
    column (E620-E639)."""

    default_code = "E620"


class EvaluationError(PolicyRulesError, ValueError):
    """Evaluation cannot go on without an answer the caller must give."""

    default_code = "E400"


class CalendarError(EvaluationError):
    """A date falls in a year whose official holiday schedule is not published.

    ``unpublished``: that year, where the schedule is one not yet published (a year after
    the last published one, or none published; ``None``: a year before them, whose schedule
    is not available), for a text that says it in its own words."""

    default_code = "E501"

    def __init__(
        self,
        diagnostics: Sequence[Diagnostic] | Diagnostic | str,
        *,
        sources: dict[str, str] | None = None,
        unpublished: int | None = None,
    ) -> None:
        super().__init__(diagnostics, sources=sources)
        self.unpublished = unpublished
