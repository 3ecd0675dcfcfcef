"""The earlier grants a batch read, kept with its result for ``batch --ledger-out``.

``batch --ledger-out FILE`` writes the whole ledger after the run, as ``eval`` does (issue
9 §3): the registry's own ``ledger`` table, the ``--ledger`` given (a file, or a store as
the run read it) and the run's grants.  Written with only the run's, a later ``batch
--ledger FILE`` would pay the earlier grants' 一次性 awards and caps again.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from .runtime.ledger import Ledger

__all__ = ["NO_EARLIER_GRANTS", "Earlier"]


@attrs.frozen
class Earlier:
    """What a batch read besides its registry's entities.

    ``table``: the registry's ``ledger`` table (what it is shown as, ``reg/ledger.csv``, and
    a function giving its grants as a JSON ledger file's text, made when asked), or
    ``None``; it says no reading, so its grants are taken as counted by the defaults, as
    the run took them (a run under another reading is refused, E335).  ``given``: the
    ``ledger`` argument (its name and its checked grants with their readings; a store's
    as read at the start of the run), or ``None``.
    """

    table: tuple[str, Callable[[], str]] | None = None
    given: tuple[str, Ledger] | None = None


NO_EARLIER_GRANTS = Earlier()
