"""The SQL back end: a checked policy compiled to one plan of SQL steps.

:func:`compile_batch` turns a checked policy (with its parameters and assumptions bound)
into a :class:`SqlPlan`; :func:`policyrules.backends.sql.duckdb.run_plan` runs it in an
in-process DuckDB connection, a Spark runner the same plan.  The plan reads one table per
entity (named by the entity's ``key``: ``firms``, ``products`` with ``firm_id``...: ``id``
VARCHAR, one column per fact in its canonical type), ``ledger`` (provision, one VARCHAR
column per entity, amount BIGINT fen, year INTEGER) and ``calendar_days`` (day, workday,
assumed), and writes ``decisions`` and ``grants`` (see :mod:`.compiler`).  Each decision is
the one ``policy.evaluate`` gives for the same facts: status, amount in fen, amount kind,
missing facts and parameters, assumptions used.  A construct it cannot compute exactly so
is refused when compiling (:class:`BatchCompileError`, E600-E619).
"""

from .compiler import DECISION_COLUMNS, compile_batch
from .plan import BatchCompileError, SqlPlan

__all__ = ["DECISION_COLUMNS", "BatchCompileError", "SqlPlan", "compile_batch"]
