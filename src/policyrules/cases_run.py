"""The one runner of worked cases: evaluate a case's facts, compare with what it expects.

``policyrules test``, the project's own tests, the pytest plugin and the docs' measure pages
all call :func:`run_case`; each compared value is a :class:`CaseRow` (field, expected,
computed, whether they agree, and the decision's reasons), and :func:`failure_text` prints
a failed case with expected beside computed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .api import Policy
from .cases import CaseFile, CaseFileError, WorkedCase, schedule_line
from .errors import Diagnostic, PolicyRulesError, did_you_mean
from .positions import at_key
from .reading import read_data
from .result import Decision
from .runtime.money import Money
from .terminal import printable

__all__ = [
    "CaseResult",
    "CaseRow",
    "failure_text",
    "not_run",
    "run_case",
    "run_file",
    "summary_line",
]


@attrs.frozen
class CaseRow:
    """One asserted value of a worked case: what the case expects, what was computed (both
    as text: money in 万元/元 as :meth:`Money.format_cn` writes it, lists joined by ``, ``,
    ``[]`` for an empty list, ``—`` for none), whether they agree, and the decision's
    reasons (why it is not eligible, or unknown)."""

    provision: str
    subject: str | None
    field: str
    expected: str
    computed: str
    ok: bool
    reasons: tuple[str, ...] = ()


@attrs.frozen
class CaseResult:
    """The outcome of one case: its compared rows, or the error that stopped its evaluation
    (facts that break the policy's schema, an unknown parameter...: an input error; or the
    case's own faults, a :class:`CaseFileError`, when it was not run), and the decisions its
    expectations are about (with their traces, for coverage)."""

    case: WorkedCase
    rows: tuple[CaseRow, ...]
    error: PolicyRulesError | None = attrs.field(default=None, eq=False)
    decisions: tuple[Decision, ...] = attrs.field(default=(), eq=False, repr=False)

    @property
    def passed(self) -> bool:
        return self.error is None and all(r.ok for r in self.rows)

    @property
    def failures(self) -> tuple[CaseRow, ...]:
        """The rows whose computed value differs from the expected one."""
        return tuple(r for r in self.rows if not r.ok)

    @property
    def id(self) -> str:
        """``clause-03.yaml::name``."""
        return f"{self.case.file}::{self.case.name}"


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(_show(v) for v in value) if value else "[]"
    return str(value)


def _compare(d: Decision, exp: Mapping[str, Any]) -> Iterator[tuple[str, str, str, bool]]:
    """(field, expected, computed, ok) for each key an expectation asserts."""
    yield "status", str(exp["status"]), d.status, d.status == exp["status"]
    if "amount" in exp:
        want = exp["amount"]
        got = d.amount.format_cn() if d.amount is not None else "—"
        if want is None:
            yield "amount", "—", got, d.amount is None
        else:
            money = Money.parse(str(want))
            ok = d.amount is not None and d.amount.fen == money.fen
            yield "amount", money.format_cn(), got, ok
    if "amount_min" in exp:
        want_min, low = exp["amount_min"], d.amount_min
        got_min = low.format_cn() if low is not None else "—"
        if want_min is None:
            yield "amount_min", "—", got_min, low is None
        else:
            floor = Money.parse(str(want_min))
            yield "amount_min", floor.format_cn(), got_min, low is not None and low == floor
    if "reason" in exp:
        text = str(exp["reason"])
        yield "reason", text, _show(list(d.reasons)), any(text in r for r in d.reasons)
    if "amount_kind" in exp:
        kind = exp["amount_kind"]
        yield "amount_kind", str(kind), str(d.amount_kind), d.amount_kind == kind
    binding = [c for c in d.caps if c.binding]
    if "binding" in exp:
        texts = [c.cap for c in binding]
        wanted = [str(w) for w in exp["binding"]]
        # Each expected cap is the start of a binding cap's text, and no other cap binds.
        ok = len(texts) == len(wanted) and all(any(t.startswith(w) for t in texts) for w in wanted)
        yield "binding caps", _show(wanted), _show(texts), ok
    if "cut" in exp:
        money = Money.parse(str(exp["cut"]))
        cuts = [c.cut for c in binding]
        ok = bool(cuts) and all(c.fen == money.fen for c in cuts)
        yield "cut", money.format_cn(), _show([c.format_cn() for c in cuts]), ok
    for key, missing in (
        ("missing_facts", d.missing_facts),
        ("missing_parameters", d.missing_parameters),
    ):
        if key in exp:
            want_names, got_names = sorted(exp[key]), sorted(missing)
            ok = got_names == want_names
            yield key.replace("_", " "), _show(want_names), _show(got_names), ok
    if "schedule" in exp:
        plan = [schedule_line(str(w)) for w in exp["schedule"]]
        paid = [
            (p.year, p.amount.fen if p.amount is not None else None, p.status) for p in d.schedule
        ]
        shown = [
            f"{y}: {'unknown' if f is None else Money(f).format_cn()} {st}" for y, f, st in paid
        ]
        yield "schedule", _show(list(exp["schedule"])), _show(shown), plan == paid
    if "due" in exp:
        due = exp["due"]
        want_due = dt.date.fromisoformat(due) if isinstance(due, str) else due
        yield "due", _show(want_due), _show(d.due), d.due == want_due


def _none_found(provision: str, subject: object, subjects: list[str | None]) -> str:
    """What was computed where an expectation names no decision: none, and the subjects
    the provision was decided for (a typo of the subject shows), or that it decided none."""
    if not subjects:
        return f"none: no decision under {provision} for these facts"
    listed = ", ".join(str(s) for s in subjects[:5]) + (", ..." if len(subjects) > 5 else "")
    close = did_you_mean(str(subject), [str(s) for s in subjects])
    return f"none for this subject; decided for {listed}" + (f" ({close})" if close else "")


def run_case(policy: Policy, case: WorkedCase, clause_id: str | None = None) -> CaseResult:
    """Evaluate the case's facts with ``policy`` and compare each expectation (only those
    about ``clause_id`` when given) with the decision of its provision and subject.

    A decision the evaluation does not make is one failed row (field ``decision``); an
    input error of the evaluation (a :class:`PolicyRulesError`) is the result's ``error``,
    as are the case's own faults (:attr:`WorkedCase.faults`), with which it is not run.

    >>> import policyrules
    >>> from policyrules.cases import load_case_file
    >>> policy = policyrules.load("policies/beijing_2025")
    >>> case = load_case_file("policies/beijing_2025/cases/clause-01.yaml").cases[0]
    >>> [(r.field, r.expected, r.computed, r.ok) for r in run_case(policy, case).rows][:2]
    [('status', 'eligible', 'eligible', True), ('amount', '80 万元', '80 万元', True)]
    """
    if case.faults:
        return CaseResult(case, (), _malformed(case))
    try:
        result = policy.evaluate(case.facts)
    except PolicyRulesError as exc:
        return CaseResult(case, (), _placed(exc, case))
    found = {(d.provision, d.subject): d for d in result.decisions}
    rows: list[CaseRow] = []
    used: list[Decision] = []
    for exp in case.expect:
        provision = str(exp.get("provision"))
        if clause_id is not None and provision.rsplit("/", 1)[0] != clause_id:
            continue
        subject = exp.get("subject")
        d = found.get((provision, subject))
        if d is None:
            said = _none_found(provision, subject, [s for p, s in found if p == provision])
            rows.append(CaseRow(provision, subject, "decision", "a decision", said, False))
            continue
        used.append(d)
        for field, want, got, ok in _compare(d, exp):
            rows.append(CaseRow(provision, subject, field, want, got, ok, d.reasons))
    return CaseResult(case, tuple(rows), None, tuple(used))


def _malformed(case: WorkedCase) -> CaseFileError:
    """The case's own faults as an error carrying its file's text (for the carets)."""
    try:
        sources = {case.source: read_data(case.source)[0]} if case.source is not None else {}
    except PolicyRulesError:
        sources = {}
    return CaseFileError(case.faults, sources=sources)


def _placed(exc: PolicyRulesError, case: WorkedCase) -> PolicyRulesError:
    """The error with each unplaced diagnostic that names a path of the facts
    (``firms[0].revenue: …``) placed at that path inside the case, in its file."""
    if case.source is None:
        return exc
    try:  # only on an error: the file is read again to place it
        text = read_data(case.source)[0]
    except PolicyRulesError:
        return exc
    file = CaseFile(Path(case.source), text, ())
    diags: list[Diagnostic] = []
    base = f"cases[{case.index}].facts"
    for d in exc.diagnostics:
        message = d.message.removeprefix("<facts>: ")
        path, _, said = message.partition(": ")
        span = d.span
        if span is None:  # as eval places it: an unknown name at its key, else at the value
            key = file.place(f"{base}.{path}#key") if at_key(said) else None
            span = key or file.place(f"{base}.{path}") or file.place(base)
        diags.append(attrs.evolve(d, message=f"case {case.name!r}: {message}", span=span))
    return type(exc)(diags, sources={**exc.sources, case.source: text})


def run_file(policy: Policy, case_file: CaseFile) -> list[CaseResult]:
    """Every case of a checked case file, in order."""
    return [run_case(policy, case) for case in case_file.cases]


def failure_text(result: CaseResult) -> str:
    """A failed case as text: its id, then per decision each differing field with expected
    beside computed, and the decision's reasons; an input error rendered with its place.
    Names and values from the files are escaped (:func:`~policyrules.terminal.printable`)."""
    lines = [f"FAIL {result.id}"]
    if result.error is not None:
        lines.append(f"  error: {not_run(result)}")
        lines.extend(f"    {line}" for line in result.error.render().splitlines())
        return "\n".join(printable(line) for line in lines) + "\n"
    failures = result.failures
    width = max(len(r.field) for r in failures)
    shown: set[tuple[str, str | None]] = set()
    for r in failures:
        key = (r.provision, r.subject)
        if key not in shown:
            shown.add(key)
            lines.append(f"  {r.provision} {r.subject or ''}".rstrip())
        lines.append(f"    {r.field:<{width}}  expected {r.expected}")
        lines.append(f"    {'':<{width}}  computed {r.computed}")
        if r.reasons and r is _last_of(failures, key):
            lines.extend(f"    {'':<{width}}  reason: {why}" for why in r.reasons)
    return "\n".join(printable(line) for line in lines) + "\n"


def not_run(result: CaseResult) -> str:
    """Why a case with an error was not compared: malformed, or not evaluable."""
    if isinstance(result.error, CaseFileError):
        return "the case is malformed, so it was not run"
    return "the case could not be evaluated"


def _last_of(rows: Sequence[CaseRow], key: tuple[str, str | None]) -> CaseRow:
    return [r for r in rows if (r.provision, r.subject) == key][-1]


def summary_line(results: Sequence[CaseResult], files: int) -> str:
    """``201 cases in 25 files: 200 passed, 1 failed, 0 errors``."""
    failed = sum(1 for r in results if r.error is None and not r.passed)
    errors = sum(1 for r in results if r.error is not None)
    passed = len(results) - failed - errors
    return (
        f"{len(results)} case{'s' if len(results) != 1 else ''} in {files} "
        f"file{'s' if files != 1 else ''}: {passed} passed, {failed} failed, "
        f"{errors} error{'s' if errors != 1 else ''}"
    )
