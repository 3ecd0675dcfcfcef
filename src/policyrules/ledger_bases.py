"""The readings a ledger's grants were counted by, checked against a run's.

A grant's year (which account of a yearly cap it is in) can depend on an assumption: the
launch reward's ``annual_cap_year`` counts it in the year of approval by default, or of the
funding decision.  Grants counted under one value and claims evaluated under another fall in
different accounts, and a yearly cap is paid twice.  A ledger store records the values
(``bases``, :mod:`policyrules.store`); a ledger file records them beside its grants::

    ledger: [...]
    bases:
      - {provision: jjxf_2025_50/3/launch_reward, assumption: annual_cap_year, value: approval}

:func:`check_ledger_bases` is the one check for a ledger (a store's too): for each
(provision, assumption, value) a run's decisions used, a value other than the one the ledger
records for that provision is refused (E335), with or without grants of it (the ledger's
word for its reading, which a ``--ledger-out`` would write beside this run's grants); and,
where the ledger holds grants of the provision but records nothing, so is a value other
than the assumption's default: such grants are taken as counted by the default.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping
from typing import Any, Protocol

from .convert import convert_value
from .errors import did_you_mean
from .ledger_other import SOURCES, OtherReading
from .model import CheckedPolicy
from .result import Decision
from .runtime.bases import NOT_KEYING, Basis, two_values
from .runtime.ledger import Grant, Ledger
from .runtime.values import Value, format_value

__all__ = [
    "NOT_KEYING",
    "SOURCES",
    "OtherReading",
    "ReadingSink",
    "bases_after",
    "bases_of",
    "check_ledger_bases",
    "check_readings",
    "check_table_readings",
    "implied_bases",
    "may_differ",
    "merge_bases",
    "other_readings",
    "read_bases",
    "readings_of",
]


# Takes each finding of a what-if that records nothing, instead of a refusal.
ReadingSink = Callable[[OtherReading], None]


def bases_of(decisions: Iterable[Decision]) -> list[Basis]:
    """(provision, assumption, value) for each keying assumption a decision used, sorted."""
    return sorted(
        {
            (d.provision, name, value)
            for d in decisions
            for name, value in d.assumptions
            if name not in NOT_KEYING
        }
    )


def check_ledger_bases(
    ledger: Ledger,
    decisions: Iterable[Decision],
    defaults: Mapping[str, Value],
    where: str,
    sink: ReadingSink | None = None,
    source: str = "file",
) -> None:
    """Refuse ``decisions`` made with another reading than the one ``ledger``'s grants of
    the same provision were counted by (recorded in ``ledger.bases``, else the
    assumption's default in ``defaults``).  ``where`` names the ledger (its file);
    ``source`` says what holds it (:class:`OtherReading`), for the hint.

    :raises LedgerError: E335 naming the provision, the assumption and both values, with
        the ``bases:`` entry to add when none was recorded (unless ``sink`` takes it).
    """
    check_readings(ledger, bases_of(decisions), defaults, where, sink, source)


def may_differ(ledger: Ledger, values: Mapping[str, Value], defaults: Mapping[str, Value]) -> bool:
    """Whether a run with the assumption ``values`` could read ``ledger`` by another reading
    than its grants were counted by: a value other than its default, or than one the ledger
    records.  When not, :func:`check_ledger_bases` has nothing to find, and a caller need
    not make the decisions' details to ask it."""
    if any(v != defaults.get(n, v) for n, v in values.items() if n not in NOT_KEYING):
        return True
    return any(n in values and format_value(values[n]) != v for _, n, v in ledger.bases)


def readings_of(
    policy: CheckedPolicy, values: Mapping[str, Value], provisions: Iterable[str]
) -> list[Basis]:
    """(provision, assumption, value) for each keying assumption each of ``provisions``'
    text reads (``ProvisionInfo.assumptions``), at its value in ``values``: the readings a
    run uses when its decisions are not at hand (a batch)."""
    infos = {p.id: p for p in policy.provisions()}
    out: set[Basis] = set()
    for provision in set(provisions):
        info = infos.get(provision)
        for name in info.assumptions if info is not None else ():
            if name not in NOT_KEYING and name in values:
                out.add((provision, name, format_value(values[name])))
    return sorted(out)


def check_readings(
    ledger: Ledger,
    used: Iterable[Basis],
    defaults: Mapping[str, Value] | None,
    where: str,
    sink: ReadingSink | None = None,
    source: str = "file",
    granted: Callable[[], Iterable[str]] | None = None,
    *,
    facts_file: str | None = None,
) -> None:
    """:func:`check_ledger_bases` for the readings ``used``; with ``defaults`` ``None`` a
    reading the ledger does not record is not checked.  With ``sink`` (a what-if that
    records nothing) each finding is passed to it instead of refused.  ``granted()`` gives
    the provisions the grants are of, where ``ledger`` holds only some of them (a store
    read for a few firms); by default those of ``ledger``'s grants.  ``facts_file``: the
    file of the facts whose own ledger it is (:class:`OtherReading`)."""
    have = _Granted(granted or (lambda: (g.provision for g in ledger)))
    found = other_readings(ledger.bases, have, used, defaults, where, source, facts_file)
    _settle(found, sink)


def _settle(found: Iterable[OtherReading], sink: ReadingSink | None) -> None:
    """Refuse the first of ``found`` (E335), or pass each to ``sink``."""
    for one in found:
        if sink is None:
            raise one.error()
        sink(one)


class _Granted:
    """The provisions a ledger holds grants of, found only when first asked (a service's
    many runs with nothing to find never read the grants)."""

    def __init__(self, provisions: Callable[[], Iterable[str]]) -> None:
        self._provisions = provisions
        self._have: frozenset[str] | None = None

    def __contains__(self, provision: object) -> bool:
        if self._have is None:
            self._have = frozenset(self._provisions())
        return provision in self._have


def check_table_readings(
    policy: CheckedPolicy,
    provisions: Callable[[], Iterable[str]],
    values: Mapping[str, Value],
    defaults: Mapping[str, Value],
    where: str,
    sink: ReadingSink | None = None,
) -> None:
    """A registry's ``ledger`` table records no readings: its grants are taken as counted
    by the defaults, as a ledger file's without ``bases:``.  Refuse (E335), or pass to
    ``sink``, each value in ``values`` other than its default that a provision the table
    holds grants of reads.  ``provisions()`` (the table's distinct provisions) is called
    only when some value differs from its default."""
    if not any(v != defaults.get(n, v) for n, v in values.items() if n not in NOT_KEYING):
        return
    granted = set(provisions())
    used = readings_of(policy, values, granted)
    _settle(other_readings((), granted, used, defaults, where, "table"), sink)


def other_readings(
    bases: Iterable[Basis],
    granted: Container[str],
    used: Iterable[Basis],
    defaults: Mapping[str, Value] | None,
    where: str,
    source: str = "file",
    facts_file: str | None = None,
) -> list[OtherReading]:
    """Each reading in ``used`` other than the one its provision's grants were counted by:
    recorded in ``bases`` (grants or none), else, where ``granted`` holds the provision
    and ``defaults`` is not ``None``, the assumption's default.  ``where``, ``source`` and
    ``facts_file`` name the ledger (:class:`OtherReading`)."""
    recorded = {(p, n): v for p, n, v in bases}
    texts: dict[str, str | None] = {}
    found: list[OtherReading] = []
    for provision, name, value in used:
        was = recorded.get((provision, name))
        said = was is not None
        if was is None and defaults is not None:
            if name not in texts:
                known = defaults.get(name)
                texts[name] = None if known is None else format_value(known)
            was = texts[name]
        if was is not None and was != value:
            found.append(
                OtherReading(
                    where, provision, name, was, value, said, source, facts_file=facts_file
                )
            )
    # A recorded reading is the ledger's word, grants of the provision or none (a store's
    # too): a later --ledger-out would label this run's grants with it.
    return [f for f in found if f.said or f.provision in granted]


def bases_after(
    ledger: Ledger, decisions: Iterable[Decision], grants: Iterable[Grant]
) -> tuple[Basis, ...]:
    """``ledger``'s bases plus this run's values for each provision it granted (values
    already recorded are kept: check first with :func:`check_ledger_bases`)."""
    paid = {g.provision for g in grants}
    have = {(p, n) for p, n, _ in ledger.bases}
    more = [b for b in bases_of(decisions) if b[0] in paid and b[:2] not in have]
    return (*ledger.bases, *more)


def implied_bases(
    policy: CheckedPolicy, defaults: Mapping[str, Value], ledger: Ledger
) -> list[Basis]:
    """The readings ``ledger`` leaves unsaid, made explicit: for each provision it holds
    grants of, each assumption the provision's text reads (``ProvisionInfo.assumptions``)
    that ``ledger.bases`` does not give, at its default (what its grants are taken as
    counted by).  For a store importing a file, so that a later run is held to them."""
    said = {(p, n) for p, n, _ in ledger.bases}
    infos = {p.id: p for p in policy.provisions()}
    out: set[Basis] = set()
    for provision in {g.provision for g in ledger}:
        info = infos.get(provision)
        for name in info.assumptions if info is not None else ():
            if name not in NOT_KEYING and (provision, name) not in said and name in defaults:
                out.add((provision, name, format_value(defaults[name])))
    return sorted(out)


def merge_bases(parts: Iterable[tuple[str, Ledger]]) -> tuple[Basis, ...]:
    """The bases of several named ledgers together.

    :raises LedgerError: E335 if two of them give one provision's assumption two values."""
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for name, ledger in parts:
        for provision, assumption, value in ledger.bases:
            where, was = seen.setdefault((provision, assumption), (name, value))
            if was != value:
                raise two_values(provision, assumption, f"{was} in {where}", f"{value} in {name}")
    return tuple((p, a, v) for (p, a), (_, v) in seen.items())


class _Reporter(Protocol):
    def error(
        self, code: str, at: str, message: str, hint: str | None, key: bool = ...
    ) -> None: ...


def read_bases(policy: CheckedPolicy, raw: Any, where: str, report: _Reporter) -> list[Basis]:
    """The ``bases:`` of a ledger file: a list of ``{provision, assumption, value}``.  Each
    fault is reported (E320 at its place: an unknown provision or assumption, a value that
    is not one of the assumption's; E335 for two values of one key); the good entries are
    returned, each value as a decision shows it."""
    if not isinstance(raw, list):
        report.error(
            "E320",
            where,
            "`bases:` is a list of {provision, assumption, value}",
            "e.g. `bases: [{provision: d/1/a, assumption: annual_cap_year, value: approval}]`",
        )
        return []
    awards = {p.id for p in policy.provisions() if p.kind == "award"}
    out: list[Basis] = []
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for i, entry in enumerate(raw):
        at = f"{where}[{i}]"
        if not isinstance(entry, Mapping) or set(entry) != {"provision", "assumption", "value"}:
            report.error(
                "E320",
                at,
                "a basis is `{provision, assumption, value}`, nothing else",
                "e.g. `{provision: d/1/a, assumption: annual_cap_year, value: approval}`",
            )
            continue
        pid, name, value = entry["provision"], entry["assumption"], entry["value"]
        if pid not in awards:
            report.error(
                "E320",
                f"{at}.provision",
                f"no award {pid!r} in this policy",
                did_you_mean(str(pid), sorted(awards)) or "name an award: document/clause/name",
            )
            continue
        info = policy.assumption(name) if isinstance(name, str) else None
        if info is None:
            names = [a.name for a in policy.assumptions]
            report.error(
                "E320",
                f"{at}.assumption",
                f"no assumption {name!r} in this policy",
                did_you_mean(str(name), names) or "name one of: " + ", ".join(names),
            )
            continue
        try:
            text = format_value(convert_value(value, info.type, policy))
        except ValueError as exc:
            report.error("E320", f"{at}.value", f"not a value of {name}: {exc}", None)
            continue
        first = seen.setdefault((pid, name), (at, text))
        if first[1] != text:
            report.error(
                "E335",
                at,
                f"{pid}: {name} = {text} here but {name} = {first[1]} at {first[0]}; one "
                "ledger's grants are counted by one reading",
                "keep one of the two entries",
            )
            continue
        if first[0] == at:
            out.append((pid, name, text))
    return out
