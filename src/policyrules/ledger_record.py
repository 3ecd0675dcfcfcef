"""Recording earlier grants into a ledger store, checked against a policy.

:meth:`LedgerStore.append <policyrules.store.LedgerStore.append>` records grants as they
are given: it knows no policy.  :func:`record_checked` first checks them, together with the
grants the store already holds, as an evaluation would read them (``ledger import --policy``
and :meth:`Policy.record <policyrules.Policy.record>`): a provision the policy does not pay
or a key it needs (E321–E323, by :func:`~policyrules.ledger_io.read_ledger`), a one-time
award paid twice (E328), two awards of an exclusive group (E328), a cap whose limit needs no
facts exceeded (E329), one grant given with two amounts (E326), a reading other than the
store's (E335), and an id written as another number (E323: ``701`` where the store, or an
earlier grant of the same file, has ``0701``; :func:`~policyrules.ledger_ids.check_import`)
unless the ids are said to be as their registry writes them.  All of it or nothing.

:func:`record_run` records an evaluation's grants (``evaluate(..., commit=True)``), with the
facts' own earlier grants the store lacks: the store holds every grant a run relied on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from .backends.python.compile import CompiledPolicy
from .facts import locate
from .ledger_bases import implied_bases, readings_of
from .ledger_check import check_caps, check_exclusive, check_once
from .ledger_dated import refuse_to_record
from .ledger_ids import check_import
from .ledger_io import merge_ledgers, read_ledger
from .model import CheckedPolicy
from .result import Result
from .runtime.ledger import Ledger
from .runtime.values import Value
from .store_txn import StoreTransaction

__all__ = ["grant_places", "record_checked", "record_run"]


def record_checked(
    checked: CheckedPolicy,
    compiled: CompiledPolicy,
    txn: StoreTransaction,
    ledger: Ledger,
    where: str,
    store: str,
    *,
    places: Sequence[str] | None = None,
    ids_as_written: bool = False,
) -> Ledger:
    """Record the grants of ``ledger`` (read by ``checked``; from ``where``, each grant at
    its place in ``places``: ``f.yaml:3``, by default ``where[i]``) in the store ``store``
    of the open write transaction ``txn``, checked with the store's own grants (see the
    module); returns the grants new to the store (one already there is one grant).  With
    ``ids_as_written`` an id that is another id's number written otherwise is taken as
    written (two firms ``701`` and ``0701``).

    :raises LedgerError: E321-E329, E335 (nothing of the transaction is then written)."""
    stored = read_ledger(checked, txn.grants(), f"{store}: grants", counted_by=txn.bases())
    if not ids_as_written:  # E323, first: the ids are what every other check keys by
        at = places if places is not None else [f"{where}[{i}]" for i in range(len(ledger))]
        check_import(stored, zip(ledger, at, strict=True), store)
    parts = ((store, stored), (where, ledger))
    merged = merge_ledgers(*parts)  # E326 first: one grant given twice with two amounts
    check_once(checked, *parts)
    check_exclusive(checked, *parts)
    check_caps(compiled, merged, where=f"{store} with {where}")
    have = set(stored)
    new = Ledger(g for g in ledger if g not in have)
    # E335: grants counted by another reading than the store's; a reading the grants do not
    # give is taken as the default, and recorded so.
    defaults = compiled.assumption_defaults
    implied = implied_bases(checked, defaults, ledger)
    txn.check_file_bases(ledger.bases, where, defaults)
    txn.check_file_bases(implied, f"{where} (no `bases:` entry: the default)", defaults)
    txn.append(new)
    txn.record_file_bases([*ledger.bases, *implied])
    return new


def grant_places(file: str, text: str, count: int) -> list[str]:
    """``file:line`` of each of the ``count`` grants of a ledger file read from ``text``
    (``ledger: [...]`` or a bare list; read without a fault, its grants are its entries in
    order), or ``file: ledger[i]`` where the text gives no line."""
    places = locate(text)
    out = []
    for i in range(count):
        where = places.get(f"ledger[{i}]") or places.get(f"[{i}]")
        out.append(f"{file}:{where[0]}" if where is not None else f"{file}: ledger[{i}]")
    return out


def record_run(
    checked: CheckedPolicy,
    txn: StoreTransaction,
    result: Result,
    own: Ledger,
    stored: Ledger,
    *,
    source: str,
    own_readings: Callable[[], Mapping[str, Value]],
    defaults: Mapping[str, Value],
    on_commit: Callable[[StoreTransaction, Result], None] | None,
    ahead: tuple[dt.date | None, dt.date, bool],
) -> None:
    """Record in the open write transaction ``txn`` the grants of ``result`` and the
    readings its decisions used, and before them the facts' own earlier grants ``own``
    (from ``source``) that the store (holding ``stored``) lacks, in a batch noted
    ``imported from <source>``, with the readings they were counted by (``own_readings()``:
    the facts' own ``assumptions:`` over the ``defaults``).  ``on_commit(txn, result)`` is
    called first, for a record of the caller's own in the same transaction.  ``ahead`` is
    (``as_of``, today, ``record_ahead``): a run for a later day is refused by
    :func:`~policyrules.ledger_dated.refuse_ahead` unless ``record_ahead``.

    :raises LedgerError: E427 (an award paid over time evaluated without ``as_of``), E428
        (grants of years after today's, for an ``as_of`` after today), E335
        (the facts' readings other than the store's), E331 (a grant already recorded):
        nothing is then written."""
    refuse_to_record(checked, result, *ahead)  # E427, E428: years early
    if on_commit is not None:
        on_commit(txn, result)
    have = set(stored)
    imported = [g for g in own if g not in have]
    if imported:  # counted by the facts' own readings: recorded with them
        read = readings_of(checked, own_readings(), {g.provision for g in imported})
        txn.check_file_bases(read, source, defaults)
        txn.append(imported, note=f"imported from {source}")
        txn.record_file_bases(read)
    txn.append(result.grants)
    txn.record_bases(result.decisions, result.grants)
