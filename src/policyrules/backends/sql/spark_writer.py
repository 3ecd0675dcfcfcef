"""sqlglot's Spark SQL writer without re-reading a type name per CAST (issue 10: start-up).

sqlglot's Spark writer asks of every ``CAST`` whether it is a JSON cast, and of every data
type whether it is FLOAT, by building the type from its *name* (``is_type("json")``,
``is_type("float")``): each question parses SQL text, about a third of writing the shipped
policy's steps.  :func:`write_spark` answers them from the node's type (``DType``) instead
and leaves every other case — a JSON or FLOAT type, a user-defined one, a literal cast, a
nested type — to sqlglot's own code, so the text is the one ``expression.sql("spark")``
writes (``tests/unit/test_batch_startup.py`` compares them on every step of the shipped
policies).  Only the SQL back end's Spark engine uses it.
"""

from __future__ import annotations

import functools
from typing import Any

import sqlglot.expressions as exp

__all__ = ["write_spark"]


def write_spark(tree: exp.Expr) -> str:
    """``tree`` in Spark SQL, as ``tree.sql("spark", copy=False)`` writes it (``tree`` may
    be changed, as by sqlglot).

    >>> write_spark(exp.cast(exp.column("x"), "BIGINT"))
    'CAST(x AS BIGINT)'
    """
    writer: Any = _writer_class()(dialect="spark")
    text: str = writer.generate(tree, copy=False)
    return text


@functools.cache
def _writer_class() -> type:
    """Built on first use: sqlglot's Spark writer is imported only by a Spark batch."""
    from sqlglot.generators.hive import HiveGenerator
    from sqlglot.generators.spark import SparkGenerator

    dtype = exp.DataType.Type
    # sqlglot's own code answers for these (its questions can be true of them).
    own_types = {dtype.JSON, dtype.FLOAT, dtype.USERDEFINED}

    class SparkWriter(SparkGenerator):
        def cast_sql(self, expression: exp.Cast, safe_prefix: str | None = None) -> str:
            to = expression.to
            if (
                to.this in own_types
                or to.args.get("nested")
                or isinstance(expression.this, exp.Literal)
            ):
                return str(super().cast_sql(expression, safe_prefix=safe_prefix))
            # Spark2Generator.cast_sql's last line: its questions are all false here.
            return str(super(HiveGenerator, self).cast_sql(expression, safe_prefix=safe_prefix))

        def datatype_sql(self, expression: exp.DataType) -> str:
            if expression.this in own_types:
                return str(super().datatype_sql(expression))
            # HiveGenerator.datatype_sql, its last question (FLOAT) false here.
            text_types = self.PARAMETERIZABLE_TEXT_TYPES
            if expression.this in text_types and (
                not expression.expressions or expression.expressions[0].name == "MAX"
            ):
                expression.set("this", dtype.TEXT)
                expression.set("expressions", None)
            elif expression.this == dtype.TEXT and expression.expressions:
                expression.set("this", dtype.VARCHAR)
            elif (
                not self.SUPPORTS_TEMPORAL_PRECISION
                and expression.this in exp.DataType.TEMPORAL_TYPES
            ):
                expression.set("expressions", None)
            return str(super(HiveGenerator, self).datatype_sql(expression))

    return SparkWriter
