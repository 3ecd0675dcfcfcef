"""``batch --ledger-out FILE`` without losing a grant (issue 9 §3, the batch path).

``--ledger-out`` writes the run's grants as a JSON ledger file.  Two ways it lost grants
before, as ``eval`` once did: ``batch … --ledger L.json --ledger-out L.json`` replaced the
earlier grants of ``L.json`` with this run's (the next run paid a 一次性 award again), and
``--ledger-out`` naming another existing ledger replaced grants this run never read.  Now,
as for ``eval``:

- ``--ledger-out`` the ``--ledger`` file itself writes that file's grants and this run's
  (the same grant by both routes once), under the file's lock, and refuses (E333) if the
  file changed while the run used it;
- any other existing ledger file is replaced only if this run wrote every grant it holds
  (E333 otherwise, naming one); a store, a directory, a FIFO or a device is refused before
  the run (E333, E334).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import attrs

from .api import Policy
from .cli_ledger import _check_out_early, _format_of, _lost, _refuse
from .files import check_writable, locked, real_target, write_atomic
from .ledger_io import dump_ledger, merge_ledgers, read_ledger
from .runtime.ledger import Ledger
from .store import is_store

__all__ = ["LedgerOut", "ledger_out", "write_ledger_out"]


@attrs.frozen
class LedgerOut:
    """What is known of an ``--ledger-out`` target before the run: its path, the grants it
    holds (``None``: absent or empty), and, when it is the ``--ledger`` file, that file's
    grants and bytes as read (to write them back with the run's, and to see a change)."""

    path: Path
    existing: Ledger | None
    earlier: Ledger | None = None
    read_bytes: bytes | None = None

    def text(self, policy: Policy, run_text: str) -> str:
        """The text to write, given the run's grants as a JSON ledger file's text with the
        readings they were counted by (``BatchResult.grants_ledger()``: its ``bases``).

        :raises LedgerError: E333 if the target holds grants neither read nor written by
            this run, or if the ``--ledger`` file changed during the run; E326 if the run
            pays a grant the file holds with another amount.
        """
        data = json.loads(run_text)
        if self.earlier is None:
            if self.existing is not None:
                run = read_ledger(policy.checked, data["ledger"], "this run")
                _lost(self.path, self.existing, run)
            return run_text
        if self.path.read_bytes() != self.read_bytes:
            raise _refuse(
                f"{self.path} changed while this run used it; it was not written",
                hint="run again: it reads the new grants",
            )
        grants = read_ledger(policy.checked, data["ledger"], "this run's grants").grants
        run = Ledger(grants, bases=data.get("bases", ()))
        whole = merge_ledgers((str(self.path), self.earlier), ("this run's grants", run))
        return dump_ledger(whole, _format_of(self.path))


@contextlib.contextmanager
def ledger_out(policy: Policy, out: str | None, ledger: str | None) -> Iterator[LedgerOut | None]:
    """Check ``--ledger-out`` (``out``) before the run and hold its lock (and the
    ``--ledger`` file's, when they are one file) until the block ends; ``None`` without
    ``--ledger-out``.

    :raises PolicyRulesError: E333/E334 for a target that cannot be written or is a store.
    """
    if out is None:
        yield None
        return
    path = Path(out)
    check_writable(path)
    same = (
        ledger is not None
        and not is_store(ledger)
        and real_target(Path(ledger)) == (real_target(path))
    )
    with locked([path]):
        existing = _check_out_early(path, policy, None)
        if same and existing is not None:
            yield LedgerOut(path, existing, existing, path.read_bytes())
        else:
            yield LedgerOut(path, existing)


def write_ledger_out(target: LedgerOut | None, policy: Policy, run_text: str) -> None:
    """Write ``--ledger-out`` (if given) after the run: see :meth:`LedgerOut.text`."""
    if target is not None:
        write_atomic(target.path, target.text(policy, run_text))
