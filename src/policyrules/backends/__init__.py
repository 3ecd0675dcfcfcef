"""Back ends: where a checked policy runs besides the one-by-one Python evaluator.

:mod:`policyrules.backends.sql` compiles it to SQL (a :class:`~.sql.plan.SqlPlan` of sqlglot
expressions) that an engine runs over whole tables of facts: DuckDB in process
(:mod:`policyrules.backends.sql.duckdb`), or Spark.
"""

__all__: list[str] = []
