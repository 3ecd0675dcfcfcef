"""Worked-case files: read and check ``cases/*.yaml`` (issue 13 §1).

A case file is a mapping with a ``cases`` list; each case has a ``name``, the ``facts`` to
evaluate (a facts document, with its own ``parameters``, ``assumptions``, ``ledger`` and
``as_of`` if any), and ``expect``: a list of expectations, each about one decision
(``provision`` and ``subject``) and asserting its ``status`` and, optionally, ``amount``
(元 as written, or ``null`` for none), ``amount_min`` (the lower bound of a range, or
``null``), ``amount_kind``, ``reason`` (text one of the reasons contains), ``binding`` (the
caps that bind, each the start of a cap's text), ``cut``, ``missing_facts``,
``missing_parameters``, ``due`` and ``schedule`` (an award paid over time: a line per year,
``"2026: 120万元 due"``, the amount ``unknown`` where a fact is missing, the status ``paid``,
``due`` or ``future``).
An optional ``title_zh`` names the case in Chinese.  The hand-worked arithmetic goes in YAML
comments.

A malformed file is refused with a :class:`CaseFileError` whose diagnostics point into the
file (its line and column, the case's name, the key) with a hint, never a traceback.  With
``keep_faulty`` (``policyrules test``, the pytest plugin) a fault inside a named case (an
expectation naming no provision of the policy, a value of the wrong kind...) is kept on
that case alone, which the runner reports as an error without running it, and the file's
other cases run:

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "c.yaml").write_text("cases:\\n  - name: one\\n    facts: {}\\n    expect: []\\n")
>>> try:
...     load_case_file(d / "c.yaml")
... except CaseFileError as exc:
...     print(exc.code, exc.diagnostics[0].message)
E704 case 'one': `expect` lists no expectation
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .errors import Diagnostic, FactsError, Span, did_you_mean
from .model import CheckedPolicy
from .positions import Places
from .reading import read_data
from .runtime.money import Money
from .sources import is_plain_file_inside

__all__ = [
    "AMOUNT_KINDS",
    "CASE_KEYS",
    "EXPECT_KEYS",
    "STATUSES",
    "CaseFile",
    "CaseFileError",
    "WorkedCase",
    "case_files",
    "load_case_file",
    "plain_case_file",
    "schedule_line",
]

STATUSES = ("eligible", "not_eligible", "unknown", "met", "not_met", "pending")
AMOUNT_KINDS = ("exact", "range", "up_to", "unknown")
CASE_KEYS = ("name", "title_zh", "facts", "expect")
EXPECT_KEYS = (
    "provision",
    "subject",
    "status",
    "amount",
    "amount_min",
    "amount_kind",
    "binding",
    "cut",
    "missing_facts",
    "missing_parameters",
    "due",
    "reason",
    "schedule",
)


class CaseFileError(FactsError):
    """A worked-case file or a ``policyrules test`` argument is malformed (E700-E708)."""

    default_code = "E700"


@attrs.frozen
class WorkedCase:
    """A case of ``cases/*.yaml``: its file (the name), name, comment-free facts and
    expectations; ``index`` is its place in the file's ``cases`` list, ``source`` the
    file's path (for locating an error in it)."""

    file: str
    name: str
    facts: Any
    expect: tuple[Mapping[str, Any], ...]
    index: int = 0
    source: str | None = attrs.field(default=None, eq=False, repr=False)
    title_zh: str | None = None
    # The case's own faults, kept by ``load_case_file(..., keep_faulty=True)``: not run.
    faults: tuple[Diagnostic, ...] = attrs.field(default=(), eq=False, repr=False)

    def clauses(self) -> tuple[str, ...]:
        """The clause ids its expectations are about, in order."""
        ids = (str(e.get("provision", "")).rsplit("/", 1)[0] for e in self.expect)
        return tuple(dict.fromkeys(ids))


@attrs.frozen
class CaseFile:
    """A checked case file: where it is, its text (for placing errors) and its cases."""

    path: Path
    text: str = attrs.field(repr=False)
    cases: tuple[WorkedCase, ...]

    def place(self, path: str) -> Span | None:
        """The span of a data path (``cases[2].facts.firms[0].id``) in the file, if any."""
        at = Places(self.text).get(path)
        return Span(str(self.path), at[0], at[1], at[0], at[2]) if at else None


class _Checker:
    """Collects every fault of one file, each placed at its path."""

    def __init__(
        self, path: Path, text: str, policy: CheckedPolicy | None, keep_faulty: bool
    ) -> None:
        self.path, self.places, self.policy = path, Places(text), policy
        self.text, self.keep_faulty = text, keep_faulty
        self.faults: list[Diagnostic] = []

    def fault(self, code: str, where: str, message: str, hint: str | None = None) -> None:
        at = self.places.get(where)
        span = Span(str(self.path), at[0], at[1], at[0], at[2]) if at else None
        self.faults.append(Diagnostic(code, message, span, hint))

    def keys(self, data: Mapping[Any, Any], allowed: Sequence[str], where: str, who: str) -> None:
        for key in data:
            if key not in allowed:
                hint = did_you_mean(str(key), allowed) or f"the keys are: {', '.join(allowed)}"
                self.fault("E703", f"{where}.{key}#key", f"{who}: unknown key `{key}`", hint)

    def case(self, i: int, raw: Any, seen: dict[str, int]) -> WorkedCase | None:
        where = f"cases[{i}]"
        if not isinstance(raw, Mapping):
            self.fault("E701", where, f"case {i + 1}: not a mapping", "write `- name: …`")
            return None
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            self.fault(
                "E701",
                f"{where}.name" if "name" in raw else where,
                f"case {i + 1}: no name",
                "give every case a `name:` (text, unique in the file)",
            )
            return None
        who = f"case {name!r}"
        duplicate = name in seen
        if duplicate:
            self.fault(
                "E702",
                f"{where}.name",
                f"{who}: the name is used twice in the file",
                f"case {seen[name] + 1} has it; names tell the cases apart in reports",
            )
        seen.setdefault(name, i)
        start = len(self.faults)
        self.keys(raw, CASE_KEYS, where, who)
        facts = raw.get("facts")
        if facts is None:
            facts = {}
        elif not isinstance(facts, Mapping):
            self.fault(
                "E701",
                f"{where}.facts",
                f"{who}: `facts` is not a mapping",
                "write the facts as in a facts file: `firms: [...]`",
            )
        title = raw.get("title_zh")
        if title is not None and not isinstance(title, str):
            self.fault("E706", f"{where}.title_zh", f"{who}: `title_zh` is not text")
        expect = raw.get("expect")
        if not isinstance(expect, list) or not expect:
            self.fault(
                "E704",
                f"{where}.expect" if "expect" in raw else where,
                f"{who}: `expect` lists no expectation",
                "a case asserts something: `expect: [{provision: …, subject: …, status: …}]`",
            )
            expect = []
        for j, exp in enumerate(expect):
            self.expectation(f"{where}.expect[{j}]", who, exp)
        own: tuple[Diagnostic, ...] = ()
        if self.keep_faulty and not duplicate:  # a name used twice cannot name a result
            own = tuple(self.faults[start:])
            del self.faults[start:]
        return WorkedCase(
            self.path.name,
            name,
            facts if isinstance(facts, Mapping) else {},
            tuple(e for e in expect if isinstance(e, Mapping)),
            i,
            str(self.path),
            title if isinstance(title, str) else None,
            own,
        )

    def expectation(self, where: str, who: str, exp: Any) -> None:
        if not isinstance(exp, Mapping):
            self.fault(
                "E705",
                where,
                f"{who}: an expectation is not a mapping",
                "write `- provision: …` with `subject:` and `status:`",
            )
            return
        self.keys(exp, EXPECT_KEYS, where, who)
        for key in ("provision", "status"):
            if key not in exp:
                self.fault(
                    "E705",
                    where,
                    f"{who}: an expectation without `{key}`",
                    "each expectation names a provision, a subject and a status",
                )
        provision = exp.get("provision")
        if "provision" in exp and not isinstance(provision, str):
            self.fault("E706", f"{where}.provision", f"{who}: `provision` is not text")
        elif isinstance(provision, str) and self.policy is not None:
            ids = [p.id for p in self.policy.provisions()]
            if provision not in ids:
                self.fault(
                    "E707",
                    f"{where}.provision",
                    f"{who}: no provision {provision!r} in the policy",
                    did_you_mean(provision, ids) or "provisions are named document/clause/name",
                )
        for key, value in exp.items():
            problem = _bad_value(str(key), value)
            if problem is not None:
                self.fault("E706", f"{where}.{key}", f"{who}: `{key}` {problem[0]}", problem[1])


def _is_money(value: Any) -> bool:
    try:
        Money.parse(str(value))
    except (ValueError, TypeError, ArithmeticError):
        return False
    return True


def _bad_value(key: str, value: Any) -> tuple[str, str] | None:
    """What is wrong with the value of an expectation's ``key``: (problem, hint), or None."""
    if key == "reason" and not isinstance(value, str):
        return "is not text", "write the text a reason contains: `reason: E416`"
    if key == "subject" and value is not None and not isinstance(value, str):
        return "is not text", "a subject is a path of ids: firm-a/P1"
    if key == "status" and value not in STATUSES:
        return f"{value!r} is not a status", f"one of {', '.join(STATUSES)}"
    if key == "amount_kind" and value not in AMOUNT_KINDS:
        return f"{value!r} is not an amount kind", f"one of {', '.join(AMOUNT_KINDS)}"
    if (key == "cut" or (key in ("amount", "amount_min") and value is not None)) and not _is_money(
        value
    ):
        return f"{value!r} is not an amount", 'write 元 as "80万元" or "12,345.67 元"'
    if key in ("binding", "missing_facts", "missing_parameters") and (
        not isinstance(value, list) or not all(isinstance(v, str) for v in value)
    ):
        return "is not a list of names", f"write `{key}: [name, …]`, or `[]` for none"
    if key == "schedule" and (
        not isinstance(value, list)
        or not all(isinstance(v, str) and schedule_line(v) is not None for v in value)
    ):
        return "is not a list of payments", 'write `schedule: ["2026: 120万元 due", …]`'
    if key == "due" and not isinstance(value, dt.date):
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return f"{value!r} is not a date", "write YYYY-MM-DD"
    return None


def load_case_file(
    path: str | Path, policy: CheckedPolicy | None = None, *, keep_faulty: bool = False
) -> CaseFile:
    """Read and check one case file; with ``policy``, every expected provision must be one of
    its provisions.  With ``keep_faulty``, the faults inside a case (with a name of its own)
    are that case's :attr:`WorkedCase.faults` instead of the file's error; the faults of
    the file itself (no ``cases`` list, an unknown key beside it, a case with no name or a
    name used twice) are still raised.

    :raises FactsError: E301/E302 the file cannot be read or is not YAML/JSON.
    :raises CaseFileError: every fault found, each placed in the file: E700 not a mapping
        with a ``cases`` list, E701 a case that is not a mapping or has no name, E702 a name
        used twice, E703 an unknown key, E704 a case with no expectation, E705 an
        expectation that is not a mapping or lacks ``provision``/``status``, E706 a value of
        the wrong kind, E707 a provision the policy does not have."""
    p = Path(path)
    text, data = read_data(p)
    check = _Checker(p, text, policy, keep_faulty)
    cases: list[WorkedCase] = []
    if not isinstance(data, Mapping) or not isinstance(data.get("cases"), list):
        check.fault(
            "E700",
            "cases" if isinstance(data, Mapping) else "",
            f"{p.name}: not a case file (no `cases:` list)",
            "a case file holds `cases: [{name: …, facts: …, expect: […]}]`",
        )
    else:
        # `x-…` keys hold YAML anchors the cases share (`x-firm: &firm {…}`).
        extra = [k for k in data if isinstance(k, str) and k.startswith("x-")]
        check.keys(data, ("cases", *extra), "", p.name)
        seen: dict[str, int] = {}
        for i, raw in enumerate(data["cases"]):
            case = check.case(i, raw, seen)
            if case is not None:
                cases.append(case)
    if check.faults:
        raise CaseFileError(check.faults, sources={str(p): text})
    return CaseFile(p, text, tuple(cases))


def plain_case_file(path: Path, directory: Path) -> None:
    """Refuse, before reading it, an entry of a cases directory that is not a regular file
    inside it (a FIFO, or a symlink whose target an error would show): FactsError E255."""
    if not is_plain_file_inside(path, directory):
        raise FactsError(
            Diagnostic(
                "E255",
                f"{path}: not a regular file in the cases directory",
                hint="worked cases are plain files inside the directory "
                "(a symlink may point only within it)",
            )
        )


def case_files(targets: Sequence[str | Path]) -> list[Path]:
    """The case files named by ``targets``: a file as given, a directory's ``*.yaml``,
    ``*.yml`` and ``*.json`` files (sorted; not its subdirectories).

    :raises CaseFileError: E708 a target that does not exist, or a directory with no case
        file.
    :raises FactsError: E255 an entry that is not a regular file inside its directory
        (:func:`plain_case_file`)."""
    out: list[Path] = []
    for target in targets:
        t = Path(target)
        if t.is_dir():
            found = sorted(f for f in t.iterdir() if f.suffix.lower() in (".yaml", ".yml", ".json"))
            if not found:
                raise CaseFileError(
                    Diagnostic(
                        "E708",
                        f"{t}: no case files (*.yaml) in the directory",
                        hint="write worked cases in POLICY/cases/*.yaml",
                    )
                )
            for f in found:
                plain_case_file(f, t)
            out.extend(found)
        elif t.is_file():
            out.append(t)
        else:
            raise CaseFileError(
                Diagnostic(
                    "E708",
                    f"{t}: no such case file or directory",
                    hint="name case files (*.yaml) or directories of them",
                )
            )
    return out


def schedule_line(text: str) -> tuple[int, int | None, str] | None:
    """``"2026: 120万元 due"`` as (year, fen or None for ``unknown``, status), or None if
    it is not one.

    >>> schedule_line("2027: 90万元 future")
    (2027, 90000000, 'future')
    >>> schedule_line("2028: unknown due")
    (2028, None, 'due')
    """
    year, _, rest = text.partition(":")
    amount, _, status = rest.strip().rpartition(" ")
    # ASCII digits only: str.isdigit also takes ２０２７ and ², which int() reads or refuses
    year = year.strip()
    if not (year.isascii() and year.isdigit()) or status not in ("paid", "due", "future"):
        return None
    if amount.strip() == "unknown":
        return int(year), None, status
    try:
        return int(year), Money.parse(amount.strip()).fen, status
    except (ValueError, TypeError, ArithmeticError):
        return None
