"""``batch --ledger-out FILE`` without losing a grant (issue 9 §3, the batch path).

``--ledger-out`` writes the whole ledger after the run as a JSON ledger file, as ``eval``
does: the registry's own ``ledger`` table (its grants say no reading: taken as counted by
the defaults, as the run took them), the ``--ledger`` given (a file with its ``bases:``, or
a store's grants and readings as the run read them) and the run's grants with the readings
they were counted by; the same grant by several routes once.  Ways it lost grants before:
``--ledger L.json --ledger-out L.json`` kept only this run's, and so did ``--ledger-out``
naming another file (or the registry's table, or a store): a later ``batch --ledger FILE``
paid the earlier grants' 一次性 awards and caps again.  Also:

- ``--ledger-out`` the ``--ledger`` file itself writes under the file's lock, and refuses
  (E333) if the file changed while the run used it;
- any other existing ledger file is replaced only if the ledger written holds every grant
  it holds (E333 otherwise, naming one); a store, a directory, a FIFO or a device is
  refused before the run (E333, E334);
- a run for an ``--as-of`` after today that grants a year after today's is not written
  (E428, :func:`~policyrules.ledger_dated.refuse_ahead`) unless ``--record-ahead``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from . import facts_dated
from .api import Policy
from .api_values import as_of_date
from .batch_earlier import NO_EARLIER_GRANTS, Earlier
from .cli_ledger import _check_out_early, _format_of, _lost, _refuse
from .files import check_writable, locked, real_target, write_atomic
from .ledger_dated import refuse_ahead
from .ledger_io import dump_ledger, merge_ledgers, read_ledger
from .runtime.bases import to_bases
from .runtime.ledger import Ledger
from .store import is_store

__all__ = ["LedgerOut", "ledger_out", "write_ledger_out"]


@attrs.frozen
class LedgerOut:
    """What is known of an ``--ledger-out`` target before the run: its path, the grants it
    holds (``None``: absent or empty), and, when it is the ``--ledger`` file, that file's
    grants and bytes as read (to write them back with the run's, and to see a change);
    the run's ``as_of`` and ``record_ahead`` (E428)."""

    path: Path
    existing: Ledger | None
    earlier: Ledger | None = None
    read_bytes: bytes | None = None
    as_of: dt.date | None = attrs.field(default=None, kw_only=True)
    record_ahead: bool = attrs.field(default=False, kw_only=True)

    def text(self, policy: Policy, run_text: str, earlier: Earlier = NO_EARLIER_GRANTS) -> str:
        """The text to write: the grants of ``earlier`` (what the run read: the registry's
        ``ledger`` table, the ``--ledger`` given) and the run's (``run_text``, a JSON
        ledger file's text with the readings they were counted by:
        ``BatchResult.grants_ledger()``), with all their readings.

        :raises LedgerError: E333 if the target holds grants neither read nor written by
            this run, or if the ``--ledger`` file changed during the run; E326 if two of
            them give one grant two amounts; E335 two readings of one provision's grants;
            E428 a grant of a year after today's for an ``as_of`` after today.
        """
        if self.earlier is not None and self.path.read_bytes() != self.read_bytes:
            raise _refuse(
                f"{self.path} changed while this run used it; it was not written",
                hint="run again: it reads the new grants",
            )
        parts = []
        if earlier.table is not None:
            shown, table_text = earlier.table
            parts.append(
                (shown, read_ledger(policy.checked, json.loads(table_text())["ledger"], shown))
            )
        if self.earlier is not None:
            parts.append((str(self.path), self.earlier))
        if earlier.given is not None:
            parts.append(earlier.given)
        data = json.loads(run_text)
        counted = to_bases(data.get("bases", ()))  # the years this run's grants count in
        grants = read_ledger(
            policy.checked, data["ledger"], "this run's grants", counted_by=counted
        ).grants
        today = facts_dated.machine_today()
        refuse_ahead(policy.checked, grants, self.as_of, today, record_ahead=self.record_ahead)
        whole = merge_ledgers(
            *parts,
            ("this run's grants", Ledger(grants, bases=data.get("bases", ()))),
            made="this run's grants",
        )
        if self.earlier is None and self.existing is not None:
            _lost(self.path, self.existing, whole)
        return dump_ledger(whole, _format_of(self.path))


@contextlib.contextmanager
def ledger_out(
    policy: Policy,
    out: str | None,
    ledger: str | None,
    *,
    as_of: Any = None,
    record_ahead: bool = False,
) -> Iterator[LedgerOut | None]:
    """Check ``--ledger-out`` (``out``) before the run and hold its lock (and the
    ``--ledger`` file's, when they are one file) until the block ends; ``None`` without
    ``--ledger-out``.  ``as_of`` (as typed) and ``record_ahead``: the run's, for E428.

    :raises PolicyRulesError: E333/E334 for a target that cannot be written or is a store.
    """
    if out is None:
        yield None
        return
    path = Path(out)
    check_writable(path)
    day = as_of_date(policy.checked, as_of)
    ahead: dict[str, Any] = {"as_of": day, "record_ahead": record_ahead}
    same = (
        ledger is not None
        and not is_store(ledger)
        and real_target(Path(ledger)) == (real_target(path))
    )
    with locked([path]):
        existing = _check_out_early(path, policy, None)
        if same and existing is not None:
            yield LedgerOut(path, existing, existing, path.read_bytes(), **ahead)
        else:
            yield LedgerOut(path, existing, **ahead)


def write_ledger_out(
    target: LedgerOut | None, policy: Policy, run_text: str, earlier: Earlier
) -> None:
    """Write ``--ledger-out`` (if given) after the run: see :meth:`LedgerOut.text`."""
    if target is not None:
        write_atomic(target.path, target.text(policy, run_text, earlier))
