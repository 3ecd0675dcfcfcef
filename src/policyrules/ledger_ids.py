"""An earlier grant whose id is one of the facts' ids written as another number.

A spreadsheet that took a column of ids for numbers drops their zeros: the grant to firm
``0701`` comes back as a grant to ``701`` (or ``701.0``).  Read as it is, it counts against
no claim of firm ``0701``: the firm's one-time awards are paid again and its caps filled
again, and nothing says so.  An evaluation is refused instead (E323) when a grant it reads
names, at some step of its path, an id the facts lack under the same owners while the
facts have an id there that is the same number written otherwise (``0701``, ``701`` and
``701.0`` are all the number 701).  The batch refuses the same grants against its registry
(:mod:`policyrules.tables_ledger_check`).

An id the facts lack otherwise is an earlier grant like another (of a firm these facts do
not hold).  Where ``701`` and ``0701`` are two firms, the facts give both: an id the facts
hold is never refused.

A store is refused such grants at its door (:func:`check_import`, ``ledger import`` and
``Policy.record``): a grant naming an id the store does not hold under the same owners
while it holds the same number written otherwise there, or while an earlier grant of the
same file does (``701`` and ``0701`` in one file: one number written two ways).  Where they
are two firms, the importer says so (``--ids-as-written``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from .backends.python.claims import path_of
from .errors import Diagnostic, LedgerError
from .facts import Facts
from .instances import unlisted_owners
from .runtime.ledger import Grant, GrantPath

__all__ = ["NumberIndex", "check_import", "check_numbers", "number_index", "number_of"]

# An id that is a number: digits, then perhaps a point and zeros (a spreadsheet's `701.0`).
_NUMBER = re.compile(r"[0-9]+(?:\.0*)?")
_DIGITS = frozenset("0123456789")
_SHOW = 3  # grants shown at most


def number_of(ident: str) -> str | None:
    """The number an id written in digits is, as text without leading zeros, or ``None``
    for an id that is not a number.

    >>> [number_of(i) for i in ("0701", "701", "701.0", "701.", "7.01", "f1", "0")]
    ['701', '701', '701', '701', None, None, '']
    """
    if _NUMBER.fullmatch(ident) is None:
        return None
    return ident.partition(".")[0].lstrip("0")


# The grants with a step whose id is a number, each with where it is, by their firm's key:
# its number where it is one, else its id (the two never meet: an id that is not a number
# never matches digits only).
NumberIndex = dict[str, list[tuple[Grant, str]]]


def _key(ident: str) -> str:
    number = number_of(ident)
    return ident if number is None else number


def number_index(grants: Iterable[tuple[Grant, str]]) -> NumberIndex:
    """The grants of ``grants`` ((grant, where) pairs) that :func:`check_numbers` can find
    fault with: those with an id that is a number at some step of their path, by firm.
    Empty for a ledger of ids such as ``f1`` or ``91110108MA01XXXX7Q``: built once for a
    ledger given again (:class:`~policyrules.api_ledger.LedgerMemo` keeps it)."""
    out: NumberIndex = {}
    for g, where in grants:
        for _, ident in g.path:
            if _is_number(ident):
                out.setdefault(_key(g.path[0][1]), []).append((g, where))
                break
    return out


def _paths(facts: Facts) -> tuple[set[GrantPath], dict[tuple[GrantPath, str], dict[str, str]]]:
    """Every path the facts hold (each instance's, from its firm), and by (owners' path,
    entity) the ids there that are numbers, by their number."""
    known: set[GrantPath] = set()
    numbers: dict[tuple[GrantPath, str], dict[str, str]] = {}
    listed = [i for insts in facts.instances.values() for i in insts]
    for inst in [*listed, *unlisted_owners(facts.instances)]:
        path = path_of(inst)
        known.add(path)
        number = number_of(inst.id)
        if number is not None:
            numbers.setdefault((path[:-1], inst.entity), {})[number] = inst.id
    return known, numbers


def check_numbers(facts: Facts, index: Mapping[str, Sequence[tuple[Grant, str]]]) -> None:
    """Refuse the grants of ``index`` (:func:`number_index`) that name an id the facts lack
    where the facts hold the same number written otherwise.  Costs nothing more when
    ``index`` is empty or no id of the facts is a number.

    :raises LedgerError: E323, for each such grant (the first three): the grant, where it
        is, the id given and the facts' id."""
    if not index or not any(_NUMBER.fullmatch(i) for i in facts.ids()):
        return
    known, numbers = _paths(facts)
    found: list[Diagnostic] = []
    # A firm's grants are under its key: its number's grants too (`701` for `0701`).
    for firm in sorted({_key(path[0][1]) for path in known}):
        for g, where in index.get(firm, ()):
            fault = _fault(g.path, known, numbers)
            if fault is not None and len(found) < _SHOW:
                found.append(_error(g, where, *fault))
    if found:
        raise LedgerError(found)


def _fault(
    path: GrantPath,
    known: set[GrantPath],
    numbers: Mapping[tuple[GrantPath, str], Mapping[str, str]],
) -> tuple[str, str, str] | None:
    """(entity, the grant's id, the facts' id) at the first step of ``path`` the facts do
    not hold, where they hold the same number there under the same owners; else ``None``."""
    for depth, (entity, ident) in enumerate(path):
        if path[: depth + 1] in known:
            continue
        number = number_of(ident)
        if number is None:
            return None
        held = numbers.get((path[:depth], entity), {}).get(number)
        return None if held is None else (entity, ident, held)
    return None


def _error(g: Grant, where: str, entity: str, given: str, held: str) -> Diagnostic:
    # The side that lost its zeros (or gained a `.0`) is the one to mend: the grant's id
    # most often, but the facts' own when they were the spreadsheet's.
    lost = _plainer(held, given)
    fix = (
        f"the facts' id {held!r} looks like the one a spreadsheet changed (it drops leading "
        f"zeros): write it as the registry does, perhaps {given!r}, in the facts"
        if lost
        else f"write the grant's id as the facts do, {held!r} (a spreadsheet that read the "
        "ids as numbers drops their zeros)"
    )
    return Diagnostic(
        "E323",
        f"{where}: {g.describe()}: {entity} {given!r} is in none of the facts, which have "
        f"{entity} {held!r}: the same number written otherwise",
        hint=f"{fix}: a grant to {given!r} does not count against the one-time awards and "
        f"caps of {held!r}; if {given!r} is another {entity}, give its facts too",
    )


def _plainer(one: str, other: str) -> bool:
    """Whether ``one`` is the spreadsheet's way of writing ``other``'s number: no leading
    zero where ``other`` has one, or a ``.0`` ``other`` lacks."""
    zeros = other.startswith("0") and not one.startswith("0")
    return zeros or ("." in one and "." not in other)


# Where a grant of a file being imported was compared: (owners' path, entity, number).
_Place = tuple[GrantPath, str, str]
# The way through, named in every hint of check_import.
_AS_WRITTEN = "import with `--ids-as-written` (in Python `Policy.record(..., ids_as_written=True)`)"


def check_import(stored: Iterable[Grant], given: Iterable[tuple[Grant, str]], store: str) -> None:
    """Refuse the grants of ``given`` ((grant, where) pairs, in the file's order) that would
    bring into the store ``store`` (holding ``stored``) an id that is, under the same owners,
    the same number as another id: one the store holds (``701`` where the store has
    ``0701``), or else one an earlier grant of ``given`` names (``701`` and ``0701`` in one
    file, neither in the store).  An id the store holds there is never refused.  Costs a
    look at the first character of each id when none of ``given`` is a number.

    :raises LedgerError: E323, for each such grant (the first three): the grant, where it
        is, its id and the other (with where that one is)."""
    numbered = [(g, w) for g, w in given if any(_is_number(i) for _, i in g.path)]
    if not numbered:
        return
    firms = {_key(g.path[0][1]) for g, _ in numbered}
    known: set[GrantPath] = set()
    held: dict[_Place, str] = {}
    for g in stored:
        if _key(g.path[0][1]) in firms:  # (a store's other firms cannot meet these ids)
            _note_steps(g.path, known, held)
    first: dict[_Place, tuple[str, Grant, str]] = {}
    found: list[Diagnostic] = []
    for g, where in numbered:
        fault = _import_fault(g, where, store, (known, held), first)
        if fault is not None and len(found) < _SHOW:
            found.append(fault)
    if found:
        raise LedgerError(found)


def _is_number(ident: str) -> bool:
    # (a first character that is no digit, as in most ids, settles it cheaply)
    return ident[:1] in _DIGITS and _NUMBER.fullmatch(ident) is not None


def _note_steps(path: GrantPath, known: set[GrantPath], held: dict[_Place, str]) -> None:
    """Note the steps of a stored grant's path that end at a number (only those can meet a
    number of the file), and the id of each number there (the first seen)."""
    for depth, (entity, ident) in enumerate(path):
        if _is_number(ident):
            number = ident.partition(".")[0].lstrip("0")
            known.add(path[: depth + 1])
            held.setdefault((path[:depth], entity, number), ident)


def _import_fault(
    g: Grant,
    where: str,
    store: str,
    stored: tuple[set[GrantPath], Mapping[_Place, str]],
    first: dict[_Place, tuple[str, Grant, str]],
) -> Diagnostic | None:
    """The E323 of a file's grant ``g`` at the first step whose id (a number) the store
    (``stored``: its paths' steps that end at a number, and the id of each number there)
    lacks while it, or an earlier grant of the file (``first``, filled as the file is
    read), names the same number otherwise there; else ``None``."""
    known, held = stored
    for depth, (entity, ident) in enumerate(g.path):
        if not _is_number(ident) or g.path[: depth + 1] in known:
            continue
        place = (g.path[:depth], entity, ident.partition(".")[0].lstrip("0"))
        other = held.get(place)
        if other is not None:
            return Diagnostic(
                "E323",
                f"{where}: {g.describe()}: {entity} {ident!r} is in none of the grants of "
                f"{store}, which have {entity} {other!r}: the same number "
                "written otherwise",
                hint=(
                    f"the store's {other!r} looks like the one a spreadsheet changed (it drops "
                    f"leading zeros): mend the store (`ledger export`, correct, `ledger import` "
                    f"into a new store) rather than this file"
                    if _plainer(other, ident)
                    else f"write the id as the store does, {other!r} (a spreadsheet that read "
                    "the ids as numbers drops their zeros)"
                )
                + f": a grant to {ident!r} would count "
                f"against none of the one-time awards and caps of {other!r}, and every "
                f"evaluation of facts holding {other!r} would be refused (E323); if "
                f"{ident!r} is another "
                f"{entity}, written so by its registry, {_AS_WRITTEN}",
            )
        seen = first.setdefault(place, (ident, g, where))
        if seen[0] != ident:
            return Diagnostic(
                "E323",
                f"{where}: {g.describe()}: {entity} {ident!r} is the same number as "
                f"{entity} {seen[0]!r} of {seen[1].describe()} ({seen[2]}), written "
                "otherwise; the store holds neither",
                hint="one number written two ways in one file: a spreadsheet that read "
                "the ids as numbers drops their zeros; write each id as the registry "
                f"does; if {ident!r} and {seen[0]!r} are two {entity}s, written so by "
                f"their registry, {_AS_WRITTEN}",
            )
    return None
