"""A progress bar for long batches: on a terminal only, and only once a run takes a while.

:class:`Progress` follows the steps of a batch (reading each table, each SQL step, writing)
and, inside a step, DuckDB's own estimate of the running query
(``DuckDBPyConnection.query_progress``).  Nothing is shown for the first
:data:`DELAY` seconds, so short runs print nothing; nothing is ever shown when standard
error is not a terminal (a pipe, a file, CI: ``CI`` set, ``TERM=dumb``) or when the caller
asks for quiet.  The bar is drawn by `rich <https://rich.readthedocs.io>`_ on standard
error and erased when the run ends.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

__all__ = ["DELAY", "Progress", "wanted"]

DELAY = 2.0  # seconds before a bar appears


def wanted(quiet: bool = False) -> bool:
    """True when a bar may be drawn: standard error is a terminal, not CI, not quiet."""
    if quiet or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stderr.isatty()


class Progress:
    """Steps of a run, drawn as a bar after :data:`DELAY` seconds when ``enabled``."""

    def __init__(self, enabled: bool, total: int | None = None) -> None:
        self.enabled = enabled
        self.total = total
        self.done = 0
        self.label = ""
        self.con: Any = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = time.monotonic()

    @contextlib.contextmanager
    def step(self, label: str, con: Any = None) -> Iterator[None]:
        """Mark a step running ``label`` (its queries on ``con``) for the block."""
        self.label, self.con = label, con
        if self.enabled and self._thread is None:
            self._thread = threading.Thread(target=self._draw, daemon=True)
            self._thread.start()
        try:
            yield
        finally:
            self.done += 1
            self.con = None

    def close(self) -> None:
        """Stop drawing and erase the bar."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _fraction(self) -> float:
        con = self.con
        if con is None:
            return 0.0
        try:
            got = float(con.query_progress())
        except Exception:  # the query ended between two looks, or the connection closed
            return 0.0
        return got / 100.0 if 0.0 <= got <= 100.0 else 0.0

    def _draw(self) -> None:
        if self._stop.wait(max(0.0, DELAY - (time.monotonic() - self._started))):
            return
        from rich.console import Console
        from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        bar = Bar(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        with bar:
            task = bar.add_task(self.label, total=100.0)
            while not self._stop.wait(0.1):
                inner = self._fraction()
                share = min(1.0, (self.done + inner) / self.total) if self.total else inner
                bar.update(task, completed=100.0 * share, description=self.label)
