"""A reader's SQL, written in DuckDB's dialect, as Spark SQL of the same meaning.

The registry's columns are read on Spark by the very SQL that reads them on DuckDB
(:func:`policyrules.tables_values.column_sql`, the id checks of
:func:`policyrules.tables.id_problem`): :func:`spark_expr` writes it in Spark SQL with
sqlglot, rewriting what the two engines mean differently (:func:`spark_rewrite`: a full
match, HUGEINT, an exact power of ten, a list's index), and :func:`duckdb_type` names a
Spark column's type as the DuckDB reader takes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlglot
import sqlglot.expressions as exp

if TYPE_CHECKING:
    from pyspark.sql.types import DataType

__all__ = ["duckdb_type", "spark_expr", "spark_rewrite"]


def duckdb_type(data_type: DataType) -> str:
    """The DuckDB name of a Spark column type, as :func:`column_sql` takes it
    (``string`` → ``VARCHAR``, ``decimal(18,2)`` → ``DECIMAL(18,2)``, ``array<string>`` →
    ``VARCHAR[]``)."""
    from pyspark.sql.types import ArrayType, DecimalType

    if isinstance(data_type, ArrayType):
        return duckdb_type(data_type.elementType) + "[]"
    if isinstance(data_type, DecimalType):
        return f"DECIMAL({data_type.precision},{data_type.scale})"
    name = data_type.simpleString()
    return {
        "string": "VARCHAR",
        "tinyint": "TINYINT",
        "smallint": "SMALLINT",
        "int": "INTEGER",
        "bigint": "BIGINT",
        "double": "DOUBLE",
        "float": "FLOAT",
        "boolean": "BOOLEAN",
        "date": "DATE",
        "void": "NULL",
    }.get(name, name.upper())


def spark_expr(duckdb_sql: str) -> str:
    """A reader's SQL (DuckDB's dialect) as Spark SQL of the same meaning.

    >>> spark_expr("regexp_full_match(c, '[0-9]+%')")
    "c RLIKE '^(?:[0-9]+%)\\\\\\\\z'"
    >>> spark_expr("CAST(x AS HUGEINT) * 100")
    'CAST(x AS DECIMAL(38, 0)) * 100'
    """
    tree = sqlglot.parse_one(duckdb_sql, read="duckdb")
    return tree.transform(spark_rewrite).sql(dialect="spark")


def spark_rewrite(node: exp.Expression) -> exp.Expression:
    """One node of DuckDB's SQL as :func:`spark_expr` writes it for Spark (a node it does
    not rewrite, unchanged): a transform for ``sqlglot``'s ``Expression.transform``."""
    if isinstance(node, exp.RegexpFullMatch):
        # Spark's RLIKE finds a match anywhere; \z (not $) also refuses a trailing newline.
        pattern = node.expression
        if not isinstance(pattern, exp.Literal):
            raise ValueError(f"a pattern that is not a literal: {node.sql('duckdb')}")
        anchored = exp.Literal.string(f"^(?:{pattern.this})\\z")
        return exp.RegexpLike(this=node.this.copy(), expression=anchored)
    if isinstance(node, exp.DataType) and node.this == exp.DataType.Type.INT128:
        return exp.DataType.build("DECIMAL(38, 0)")
    if isinstance(node, exp.Pow):
        # 10::HUGEINT ** 28: an exact literal, not Spark's POWER (a DOUBLE).
        base, power = node.this, node.expression
        while isinstance(base, exp.Cast | exp.Paren):
            base = base.this
        if isinstance(base, exp.Literal) and isinstance(power, exp.Literal):
            value = int(base.this) ** int(power.this)
            return exp.cast(exp.Literal.string(str(value)), "DECIMAL(38, 0)")
    if isinstance(node, exp.Bracket) and len(node.expressions) == 1:
        # DuckDB's list[1] is NULL past the end; Spark's [0] is an error under ANSI.  sqlglot
        # holds the index from 0; TRY_ELEMENT_AT counts from 1.
        index = node.expressions[0]
        if not (isinstance(index, exp.Literal) and index.is_int):
            raise ValueError(f"an index that is not a literal: {node.sql('duckdb')}")
        one_based = exp.Literal.number(int(index.this) + 1)
        return exp.Anonymous(this="TRY_ELEMENT_AT", expressions=[node.this.copy(), one_based])
    return node
