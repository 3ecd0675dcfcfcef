"""The policyrules batch path as ``bench_batch.py`` times it, or why it cannot be timed.

Until the package has ``policyrules.backends.sql`` (``compile_batch`` and the DuckDB
runner of the batch contract), :attr:`BatchPath.available` is false and
:attr:`BatchPath.why` says so: the benchmark prints that instead of a figure.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pyarrow as pa

import policyrules

__all__ = ["BatchPath", "measure_3_only"]


def measure_3_only(policy_dir: Path, into: Path) -> Path:
    """A copy of the policy in ``into`` holding, of 京经信发〔2025〕50号, only 第3条 (the
    document's head, without its ``source`` line, and clause 3), with ``common.rule``."""
    text = (policy_dir / "jjxf-2025-50.rule").read_text(encoding="utf-8")
    head = text[: text.index('clause 1 "')]
    head = "".join(ln for ln in head.splitlines(True) if not ln.lstrip().startswith("source "))
    clause = text[text.index('clause 3 "') : text.index('chapter 二 "')]
    into.mkdir(parents=True, exist_ok=True)
    (into / "jjxf-2025-50.rule").write_text(head + clause, encoding="utf-8")
    common = (policy_dir / "common.rule").read_text(encoding="utf-8")
    (into / "common.rule").write_text(common, encoding="utf-8")
    return into


class BatchPath:
    """``compile_batch`` + the DuckDB runner on the tables of an open DuckDB connection."""

    def __init__(self, policy_dir: Path) -> None:
        self.policy_dir = policy_dir
        self.why = ""
        try:
            from policyrules.backends.sql import compile_batch
        except ImportError as exc:
            self.why = f"not available (no batch backend in this checkout: {exc})"
            self.compile_batch: Any = None
            return
        self.compile_batch = compile_batch
        self.policy = policyrules.load(policy_dir)

    @property
    def available(self) -> bool:
        return not self.why

    def compile_seconds(self, repeat: int) -> float | str:
        """The best time to compile the whole loaded policy to a SqlPlan, or why none."""
        if not self.available:
            return self.why
        fastest = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            self.compile_batch(self.policy.checked)
            fastest = min(fastest, time.perf_counter() - start)
        return fastest

    def run(self, con: Any) -> pa.Table:
        """Run the plan on ``con``'s input tables; the grants of 第3条 above 0.00 元."""
        raise NotImplementedError(self.why or "the runner is not wired in yet")
