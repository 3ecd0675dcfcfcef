"""What the SQL compiler produces: a :class:`SqlPlan`, and the error it raises.

A plan is an ordered tuple of steps ``(name, SELECT)``: an engine materialises each as a
temporary table or view called ``name``, in order, so a step reads the input tables and the
steps before it.  Two steps are the outputs, ``decisions`` and ``grants``.  Every value in a
plan is built with sqlglot's expression builders (no user text is pasted into SQL), so one
plan runs on any dialect sqlglot writes: ``plan.sql("duckdb")``, ``plan.sql("spark")``.
"""

from __future__ import annotations

import attrs
import sqlglot.expressions as exp

from ...errors import Diagnostic, PolicyRulesError

__all__ = ["BatchCompileError", "SqlPlan", "Step", "refuse"]

Step = tuple[str, exp.Expr]


class BatchCompileError(PolicyRulesError, ValueError):
    """A construct the SQL back end cannot compile (E600-E619), named with its provision.

    Raised by :func:`policyrules.backends.sql.compile_batch` before anything runs: the batch
    path refuses rather than give an answer that could differ from ``policy.evaluate``."""


def refuse(code: str, message: str, hint: str | None = None) -> BatchCompileError:
    return BatchCompileError(Diagnostic(code, message, hint=hint))


@attrs.frozen
class SqlPlan:
    """A compiled batch: ``steps`` in order, the input tables they read, the two outputs.

    ``inputs``: the entity tables (their ``key``: ``firms``, ``products`` ...), ``ledger``
    and ``calendar_days``.  ``decisions`` and ``grants`` name the steps holding the
    outputs (columns in :func:`policyrules.backends.sql.compile_batch`)."""

    steps: tuple[Step, ...]
    inputs: tuple[str, ...]
    decisions: str = "decisions"
    grants: str = "grants"

    def sql(self, dialect: str) -> list[tuple[str, str]]:
        """Each step as ``(name, SELECT text)`` in ``dialect`` (``duckdb``, ``spark``...)."""
        return [(name, query.sql(dialect=dialect)) for name, query in self.steps]
