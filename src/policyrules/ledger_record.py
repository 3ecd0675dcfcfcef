"""Recording earlier grants into a ledger store, checked against a policy.

:meth:`LedgerStore.append <policyrules.store.LedgerStore.append>` records grants as they
are given: it knows no policy.  :func:`record_checked` first checks them, together with the
grants the store already holds, as an evaluation would read them (``ledger import --policy``
and :meth:`Policy.record <policyrules.Policy.record>`): a provision the policy does not pay
or a key it needs (E321–E323, by :func:`~policyrules.ledger_io.read_ledger`), a one-time
award paid twice (E328), two awards of an exclusive group (E328), a cap whose limit needs no
facts exceeded (E329), one grant given with two amounts (E326), a reading other than the
store's (E335).  All of it or nothing.
"""

from __future__ import annotations

from .backends.python.compile import CompiledPolicy
from .ledger_bases import implied_bases
from .ledger_check import check_caps, check_exclusive, check_once
from .ledger_io import merge_ledgers, read_ledger
from .model import CheckedPolicy
from .runtime.ledger import Ledger
from .store_txn import StoreTransaction

__all__ = ["record_checked"]


def record_checked(
    checked: CheckedPolicy,
    compiled: CompiledPolicy,
    txn: StoreTransaction,
    ledger: Ledger,
    where: str,
    store: str,
) -> Ledger:
    """Record the grants of ``ledger`` (read by ``checked``; from ``where``) in the store
    ``store`` of the open write transaction ``txn``, checked with the store's own grants (see
    the module); returns the grants new to the store (one already there is one grant).

    :raises LedgerError: E321-E329, E335 (nothing of the transaction is then written)."""
    stored = read_ledger(checked, txn.grants(), f"{store}: grants", counted_by=txn.bases())
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
