"""Back ends: the two ways a checked policy (:mod:`policyrules.model`) runs.

:mod:`policyrules.backends.python` evaluates one registry of facts at a time, with a
trace for every decision; :mod:`policyrules.backends.sql` compiles it to SQL (a
:class:`~.sql.plan.SqlPlan` of sqlglot expressions) that an engine runs over whole tables of
facts: DuckDB in process (:mod:`policyrules.backends.sql.duckdb`), or Spark.
"""

__all__: list[str] = []
