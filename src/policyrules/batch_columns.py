"""The batch's ``decisions`` as an analyst reads them, on DuckDB and on Spark alike.

The SQL plan's decisions step (:mod:`policyrules.backends.sql.outputs`) holds what the
compiler needs: ``amount`` and ``amount_min`` in fen, ``binding_caps`` as each cap is
printed in the rule.  :func:`decisions_sql` selects from it the columns of
:data:`DECISION_COLUMNS`, named as ``eval --format csv`` names its own:

* ``document_number``, ``clause`` (its label: ``3``) and ``title`` of the provision;
* ``amount_fen`` (BIGINT), ``amount_yuan`` (its exact text in 元, ``2000000.00``, never a
  DOUBLE) and ``amount_min_fen`` (the lower bound of a ``range``);
* ``binding_caps``: each cap that bound, in the words the Chinese decision texts say it
  (``单个企业每个年度……不超过 1000 万元``), the run's assumptions read in it; for an
  ``up_to`` amount that earlier open claims of its shared cap held down, that cap and what
  they hold of its room, as the decision text says a hold (:func:`held_zh`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import sqlglot.expressions as exp

from .backends.sql.outputs import HELD_MARK
from .explain_zh_caps import cap_said_zh
from .printer import print_cap
from .runtime.money import cn_text
from .runtime.values import Value, format_value
from .tables_values import literal
from .words import Words

__all__ = ["DECISION_COLUMNS", "HELD_ZH", "decisions_sql", "held_zh"]

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

HELD_ZH = "：共用上限中在先的申请尚未确定，暂占 "
"""Between a cap's words and what earlier open claims hold of it (:func:`held_zh`)."""


def held_zh(cap: str, fen: int) -> str:
    """The line of ``binding_caps`` saying earlier open claims hold ``fen`` of the room of
    the cap whose words are ``cap``: ``单个企业每个年度……不超过 300 万元：共用上限中在先的申请
    尚未确定，暂占 300 万元``.

    >>> held_zh("单个企业每年不超过 300 万元", 3_000_000_00)
    '单个企业每年不超过 300 万元：共用上限中在先的申请尚未确定，暂占 300 万元'
    """
    return f"{cap}{HELD_ZH}{cn_text(fen)}"


# The dialects' spellings: a string literal, integer division, text, a list mapped, an
# integer with its thousands apart (exact: a BIGINT, never a DOUBLE).
_SPARK = (
    lambda s: exp.Literal.string(s).sql("spark"),
    "div",
    "STRING",
    "transform({}, c -> {})",
    "format_number({}, 0)",
)
_DUCKDB = (literal, "//", "VARCHAR", "list_transform({}, lambda c: {})", "format('{{:,}}', {})")
_YI, _WAN = 10_000_000_000, 1_000_000  # 1 亿元, 1 万元 in fen


def _case(key: str, pairs: Mapping[str, str], quote: Callable[[str], str], other: str) -> str:
    if not pairs:
        return other
    whens = " ".join(f"WHEN {quote(k)} THEN {v}" for k, v in pairs.items())
    return f"CASE {key} {whens} ELSE {other} END"


def _held_case(
    named: Mapping[str, str], quote: Callable[[str], str], div: str, text: str, grouped: str
) -> str:
    """``c``, an entry of the plan's ``binding_caps``, in words where it says a hold (a
    cap's text, :data:`~.backends.sql.outputs.HELD_MARK`, the fen held: :func:`held_zh`);
    else as it is (an exclusive group's or a limit's line, already in words)."""
    whens = []
    for cap, said in named.items():
        head = cap + HELD_MARK
        fen = f"CAST(substr(c, {len(head) + 1}) AS BIGINT)"
        money = _cn_text(fen, div, text, grouped)
        whens.append(
            f"WHEN substr(c, 1, {len(head)}) = {quote(head)} THEN "
            f"{said} || {quote(HELD_ZH)} || {money}"
        )
    return f"CASE {' '.join(whens)} ELSE c END"


def _yuan(fen: str, div: str, text: str) -> str:
    """The exact text in 元 of ``fen`` (a BIGINT column): ``-1.50``, ``0.05``."""
    return (
        f"CASE WHEN {fen} IS NULL THEN NULL ELSE "
        f"(CASE WHEN {fen} < 0 THEN '-' ELSE '' END) || "
        f"CAST(abs({fen}) {div} 100 AS {text}) || '.' || "
        f"lpad(CAST(abs({fen}) % 100 AS {text}), 2, '0') END"
    )


def _cn_text(fen: str, div: str, text: str, grouped: str) -> str:
    """``fen`` (a BIGINT, not below 0) as :func:`~policyrules.runtime.money.cn_text` writes
    it: ``3 亿元``, ``300 万元``, ``163,331.70 元``."""
    whole = " ".join(
        f"WHEN {fen} <> 0 AND {fen} % {unit} = 0 THEN CAST({fen} {div} {unit} AS {text}) || ' {w}'"
        for unit, w in ((_YI, "亿元"), (_WAN, "万元"))
    )
    yuan = grouped.format(f"{fen} {div} 100")
    cents = f"lpad(CAST({fen} % 100 AS {text}), 2, '0')"
    return f"CASE {whole} ELSE {yuan} || '.' || {cents} || ' 元' END"


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
    quote, div, text, mapped, grouped = _SPARK if dialect == "spark" else _DUCKDB
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
                held = _held_case(named, quote, div, text, grouped)
                caps[p.id] = mapped.format("binding_caps", _case("c", named, quote, held))
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
