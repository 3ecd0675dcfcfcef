"""The batch's ``decisions`` as an analyst reads them, on DuckDB and on Spark alike.

The SQL plan's decisions step (:mod:`policyrules.backends.sql.outputs`) holds what the
compiler needs: ``amount`` and ``amount_min`` in fen, ``binding_caps`` as each cap is
printed in the rule.  :func:`decisions_sql` selects from it the columns of
:data:`DECISION_COLUMNS`, named as ``eval --format csv`` names its own:

* ``document_number``, ``clause`` (its label: ``3``) and ``title`` of the provision;
* ``amount_fen`` (BIGINT), ``amount_yuan`` (its exact text in 元, ``2000000.00``, never a
  DOUBLE) and ``amount_min_fen`` (the lower bound of a ``range``);
* ``binding_caps``: each cap that bound, in the words the Chinese decision texts say it
  (``单个企业每个年度……不超过 1000 万元``), the run's assumptions read in it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import sqlglot.expressions as exp

from .explain_zh_caps import cap_said_zh
from .printer import print_cap
from .runtime.values import Value, format_value
from .tables_values import literal
from .words import Words

__all__ = ["DECISION_COLUMNS", "decisions_sql"]

DECISION_COLUMNS = (
    "provision",
    "kind",
    "document_number",
    "clause",
    "title",
    "subject",
    "firm",
    "status",
    "amount_fen",
    "amount_yuan",
    "amount_min_fen",
    "amount_kind",
    "binding_caps",
    "missing_facts",
    "missing_parameters",
    "assumptions",
)
"""The columns of the batch's ``decisions``, in order."""

# The dialects' spellings: a string literal, integer division, text, a list mapped.
_SPARK = (
    lambda s: exp.Literal.string(s).sql("spark"),
    "div",
    "STRING",
    "transform({}, c -> {})",
)
_DUCKDB = (literal, "//", "VARCHAR", "list_transform({}, lambda c: {})")


def _case(key: str, pairs: Mapping[str, str], quote: Callable[[str], str], other: str) -> str:
    if not pairs:
        return other
    whens = " ".join(f"WHEN {quote(k)} THEN {v}" for k, v in pairs.items())
    return f"CASE {key} {whens} ELSE {other} END"


def _yuan(fen: str, div: str, text: str) -> str:
    """The exact text in 元 of ``fen`` (a BIGINT column): ``-1.50``, ``0.05``."""
    return (
        f"CASE WHEN {fen} IS NULL THEN NULL ELSE "
        f"(CASE WHEN {fen} < 0 THEN '-' ELSE '' END) || "
        f"CAST(abs({fen}) {div} 100 AS {text}) || '.' || "
        f"lpad(CAST(abs({fen}) % 100 AS {text}), 2, '0') END"
    )


def decisions_sql(
    words: Words,
    raw: str,
    dialect: str = "duckdb",
    assumptions: Mapping[str, Value] | None = None,
) -> str:
    """A SELECT of :data:`DECISION_COLUMNS` from ``raw``, the plan's decisions (a table or
    view name, quoted as the dialect needs), in ``dialect`` (``duckdb`` or ``spark``).
    ``words``: the policy's (``Words.of(checked)``); ``assumptions``: the run's values,
    which a cap's words read where its text has an ``if`` on one."""
    quote, div, text, mapped = _SPARK if dialect == "spark" else _DUCKDB
    said = {n: format_value(v) for n, v in (assumptions or {}).items()}
    w = Words.of(words.checked, said) if said else words
    checked = w.checked
    documents = {d.name: d.number for d in checked.documents}
    numbers: dict[str, str] = {}
    clauses: dict[str, str] = {}
    titles: dict[str, str] = {}
    caps: dict[str, str] = {}
    for cl in checked.clauses:
        for p in cl.provisions:
            number, title = documents.get(p.document), p.title or cl.title
            if number is not None:
                numbers[p.id] = quote(number)
            clauses[p.id] = quote(p.clause.rsplit("/", 1)[-1])
            if title is not None:
                titles[p.id] = quote(title)
            named = {print_cap(c): quote(cap_said_zh(w, p, print_cap(c))) for c in p.caps}
            if named:
                caps[p.id] = mapped.format("binding_caps", _case("c", named, quote, "c"))
    null = f"CAST(NULL AS {text})"
    columns = {
        "provision": "provision",
        "kind": "kind",
        "document_number": _case("provision", numbers, quote, null),
        "clause": _case("provision", clauses, quote, null),
        "title": _case("provision", titles, quote, null),
        "subject": "subject",
        "firm": "firm",
        "status": "status",
        "amount_fen": "amount",
        "amount_yuan": _yuan("amount", div, text),
        "amount_min_fen": "amount_min",
        "amount_kind": "amount_kind",
        "binding_caps": _case("provision", caps, quote, "binding_caps"),
        "missing_facts": "missing_facts",
        "missing_parameters": "missing_parameters",
        "assumptions": "assumptions",
    }
    return "SELECT " + ", ".join(f"{v} AS {c}" for c, v in columns.items()) + f" FROM {raw}"
