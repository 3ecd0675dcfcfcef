"""The values a caller hands :class:`~policyrules.api.Policy` beside the facts: parameters,
assumptions, the holiday-schedule choice, ``as_of``, and the ids of facts built in Python;
with the facts' own (:func:`call_values`), or, given none, the defaults a policy keeps
(:class:`PlainCall`).

Each is read as a facts file reads it (:mod:`policyrules.reading`, then the declared type),
and refused with a :class:`~policyrules.errors.FactsError` (E303-E305, E310-E314) naming
the argument, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping
from types import MappingProxyType
from typing import Any

from .backends.python.compile import CompiledPolicy
from .convert import ValueRefused
from .convert_currency import exchange_hint
from .convert_ids import convert_id, ids_ok
from .errors import Diagnostic, FactsError, did_you_mean, excerpt, quoted
from .facts import Facts, convert_value
from .instances import unlisted_owners
from .model import CheckedPolicy
from .runtime.calendar import HOLIDAY_ASSUMPTION, Unpublished, WorkCalendar
from .runtime.ledger import Ledger, LedgerIndex
from .runtime.values import Value
from .types import DATE

__all__ = [
    "PlainCall",
    "as_of_date",
    "call_values",
    "check_ids",
    "holiday_choice",
    "read_values",
    "work_calendar",
]

# No earlier grant, checked and indexed for the defaults (LedgerMemo.whole).
_Earlier = tuple[Ledger, LedgerIndex | None]


class PlainCall:
    """What :meth:`Policy.evaluate <policyrules.Policy.evaluate>` reads when given no
    parameters and no assumptions (neither as arguments nor in the facts): the defaults, the
    calendar of the default holiday choice, and the empty ledger checked and indexed for
    them, made on first use and then published whole.  Read by many threads at once, never
    changed."""

    __slots__ = ("_no_grants", "assumptions", "calendar", "parameters")

    def __init__(self, compiled: CompiledPolicy) -> None:
        # the defaults themselves: the evaluator knows them (what it lists of them is kept)
        self.parameters = compiled.parameter_defaults
        self.assumptions = compiled.assumption_defaults
        self.calendar = work_calendar("error")
        self._no_grants: _Earlier | None = None

    def no_grants(
        self, make: Callable[[Mapping[str, Value], Mapping[str, Value]], _Earlier]
    ) -> _Earlier:
        """No earlier grant, as ``make(parameters, assumptions)`` makes it for the
        defaults, the first time."""
        made = self._no_grants
        if made is None:  # (two threads may both make it: the same value)
            made = make(self.parameters, self.assumptions)
            self._no_grants = made
        return made


def call_values(
    checked: CheckedPolicy,
    plain: PlainCall,
    extra: Mapping[str, Any],
    parameters: Mapping[str, Any] | None,
    assumptions: Mapping[str, Any] | None,
) -> tuple[Mapping[str, Value], Mapping[str, Value], WorkCalendar, Collection[str]]:
    """The parameters, assumptions, work calendar of an evaluation, and the names of the
    parameters given (said as set; the others are defaults): the facts' own (``extra``:
    their ``parameters:``, ``assumptions:``) under the arguments, each read by
    :func:`read_values` over the defaults; ``plain``'s own values where none are given.

    :raises FactsError: a value or name refused (E304, E305, E310-E314)."""
    params: Mapping[str, Value]
    assume: Mapping[str, Value]
    named: Collection[str] = ()
    if parameters or extra.get("parameters"):
        params = set_params = dict(plain.parameters)
        names: set[str] = set()
        for given in (extra.get("parameters"), parameters):
            if given:  # (none given, or an empty mapping: nothing to read)
                values = read_values(checked, given, "parameters")
                set_params.update(values)
                names.update(values)
        named = names
    else:  # none given: the defaults, kept (read, never changed)
        params = plain.parameters
    if assumptions or extra.get("assumptions"):
        chosen = dict(extra.get("assumptions") or {})
        chosen.update(assumptions or {})
        calendar = work_calendar(chosen.pop(HOLIDAY_ASSUMPTION, "error"))
        assume = set_assume = dict(plain.assumptions)
        if chosen:
            set_assume.update(read_values(checked, chosen, "assumptions"))
    else:
        calendar, assume = plain.calendar, plain.assumptions
    return params, assume, calendar, named


def check_ids(facts: Facts) -> None:
    """E303 for each id of ``facts`` (built in Python, not read) that the reader would refuse:
    it would otherwise stop the evaluation when its grant is made.  Facts a reader made
    (``read_ids``), their instances unchanged, were checked as they were read."""
    if facts.read_ids is not None and facts.read_ids is facts.instances:
        return
    try:  # each id once (the same ids recur under every firm); the paths only if one fails
        ids = facts.ids()  # an owner the facts do not list (a product's firm) among them
        if ids_ok(ids):  # all text as it is: one scan of them all
            return
        for ident in ids:
            convert_id(ident)
        return
    except (ValueRefused, TypeError):
        pass
    bad = []
    owners = unlisted_owners(facts.instances)
    for inst in [*(i for insts in facts.instances.values() for i in insts), *owners]:
        try:
            convert_id(inst.id)
        except ValueRefused as exc:
            bad.append(Diagnostic("E303", f"{inst.path}.id: {exc}", hint=exc.hint))
    if bad:
        raise FactsError(bad)


def as_of_date(checked: CheckedPolicy, value: Any) -> dt.date | None:
    if value is None:
        return None
    try:
        converted = convert_value(value, DATE, checked)
    except ValueRefused as exc:
        raise FactsError(Diagnostic(exc.code or "E305", f"as_of: {exc}", hint=exc.hint)) from None
    assert isinstance(converted, dt.date)
    return converted


# A rate's hint that says what to write (E311): `write 30%`, `write ASCII digits: "30%"`.
_WRITE_RATE = re.compile(r'write (?:ASCII digits: "([^"]+)"|(\S+%))')

# The calendar of each choice, by the choice and by its name: made once, as an untracked
# calendar holds nothing that changes (WorkCalendar.tracked makes one that does).
_CALENDARS = MappingProxyType({k: WorkCalendar(u) for u in Unpublished for k in (u, u.value)})


def work_calendar(value: Any) -> WorkCalendar:
    """The calendar of the holiday-schedule choice ``value`` (:func:`holiday_choice`).

    :raises FactsError: E305, not a choice."""
    try:
        known = _CALENDARS.get(value)
    except TypeError:  # not hashable: not a choice
        known = None
    return known if known is not None else WorkCalendar(holiday_choice(value))


def holiday_choice(value: Any) -> Unpublished:
    try:
        return Unpublished(value)
    except ValueError:
        raise FactsError(
            Diagnostic(
                "E305",
                f"assumptions.{HOLIDAY_ASSUMPTION}: "
                + ("nothing" if value is None else quoted(str(value)))
                + " is not a choice",
                hint="one of: " + ", ".join(u.value for u in Unpublished),
            )
        ) from None


def read_values(checked: CheckedPolicy, raw: Mapping[str, Any], what: str) -> dict[str, Value]:
    if not isinstance(raw, Mapping):
        raise FactsError(
            Diagnostic(
                "E305",
                f"{what}: a mapping of names to values",
                hint=f"write e.g. `{what}: {{NAME: VALUE}}`",
            )
        )
    if not raw:
        return {}
    decls = (
        {p.name: p.type for p in checked.parameters}
        if what == "parameters"
        else {a.name: a.type for a in checked.assumptions}
    )
    out: dict[str, Value] = {}
    diags = []
    for name, value in raw.items():
        if name not in decls:
            known = [*decls, *([HOLIDAY_ASSUMPTION] if what == "assumptions" else [])]
            diags.append(
                Diagnostic(
                    "E304",
                    f"{what}.{excerpt(str(name))}: no such {what[:-1]}",
                    hint=did_you_mean(str(name), known)
                    or (f"known: {', '.join(known)}" if known else f"the policy has no {what}"),
                )
            )
            continue
        try:
            out[name] = convert_value(value, decls[name], checked)
        except ValueRefused as exc:
            hint = exc.hint
            # `write 30%` or `write ASCII digits: "30%"`: the rate as written on the command line
            fixed = _WRITE_RATE.match(hint or "") if exc.code == "E311" else None
            if fixed is not None:
                flag = "--set" if what == "parameters" else "--assume"
                shown = fixed[1] or fixed[2]
                hint = f"{hint}: {flag} {name}={shown}, or `{name}: {shown}` in a file"
            elif exc.code == "E347" and not (hint or "").startswith("write "):
                # the general form, unless the hint is the text to write (ASCII digits, or
                # without the line break a YAML block scalar keeps)
                hint = exchange_hint(name, "--set" if what == "parameters" else "--assume")
            diags.append(Diagnostic(exc.code or "E305", f"{what}.{name}: {exc}", hint=hint))
    if diags:
        raise FactsError(diags)
    return out
