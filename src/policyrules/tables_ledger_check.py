"""The batch's ledger as a whole, checked in SQL as :mod:`policyrules.ledger_check` checks a
ledger file's: the grants of the registry's ``ledger`` table and of ``--ledger`` (each read
grant by grant, :mod:`policyrules.tables_ledger`) merged into the contract's ``ledger``
table, the same grant given twice counting once; then E323 an id the registry lacks that is
one of its ids written as another number (``701`` for ``0701``); E326 a payment listed
twice, or with two amounts; E328 a one-time award paid twice; E344 two awards of an
exclusive group paid for one record (:mod:`.tables_ledger_exclusive`); E329 a cap whose limit needs
no facts already exceeded.  :func:`check_grants` checks a ledger table's grants one by one
against the policy (E321, E322, E323 an entity off the grant's path, E324, E325).

The checks are DuckDB SQL text run by a :class:`LedgerSql`: on DuckDB as it is
(:class:`OnDuckDB`), on Spark written in Spark SQL (:mod:`policyrules.tables_spark_ledger`),
so both engines refuse the same ledger with the same codes and messages.  Only the rows at
fault come back (three per fault).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb

from .backends.python.compile import CompiledCap, CompiledPolicy, CompiledProvision
from .errors import Diagnostic, LedgerError, did_you_mean
from .ledger_check import cap_hint, entitlement_years, fixed_caps
from .ledger_keys import grant_keys
from .ledger_span import span_error, year_spans
from .model import CheckedPolicy, ProvisionInfo
from .runtime.grants import Grant
from .runtime.money import Money
from .runtime.values import Value, format_value
from .syntax import Once
from .tables_ledger_exclusive import check_exclusive_sql
from .tables_ledger_sql import LedgerSql, OnDuckDB
from .tables_values import ident, literal

__all__ = ["KEYS_COLUMNS", "LedgerSql", "OnDuckDB", "check_grants", "check_ledger"]

_SHOW = 3  # rows shown per fault
_PLACES = 5  # the places of a cap's grants shown


def _engine(con: duckdb.DuckDBPyConnection | LedgerSql) -> LedgerSql:
    return OnDuckDB(con) if isinstance(con, duckdb.DuckDBPyConnection) else con


#: The columns of ``_ledger_keys``: each provision's kind and the keys of its grants.
KEYS_COLUMNS = (
    ("provision", "VARCHAR"),
    ("kind", "VARCHAR"),
    ("chain", "VARCHAR[]"),
    ("need", "INTEGER"),
    ("yearly", "BOOLEAN"),
)


def _keys_table(sql: LedgerSql, policy: CheckedPolicy) -> None:
    keys = grant_keys(policy)
    rows: list[list[object]] = []
    for p in policy.provisions():
        k = keys.get(p.id)
        rows.append(
            [p.id, p.kind, list(k.chain), k.need, k.yearly] if k else [p.id, p.kind, [], 0, False]
        )
    sql.load("_ledger_keys", KEYS_COLUMNS, rows)


def check_grants(
    policy: CheckedPolicy, con: duckdb.DuckDBPyConnection | LedgerSql, table: str, shown: str
) -> None:
    """Check each grant of the ledger table ``table`` (the contract's ledger columns and
    ``_row``; ``shown`` names it) against the policy.  :raises LedgerError: E321 no award
    of the policy, E322 a key its caps or ``once per`` need missing, E323 an entity off its
    path, E324 no amount, E325 no year for a yearly cap; up to thirty rows, by row; then
    E352 a year its provision cannot have paid in."""
    sql = _engine(con)
    _keys_table(sql, policy)
    names = [e.name for e in policy.entities]
    deepest = (
        "greatest(0, "
        + ", ".join(
            f"CASE WHEN g.{c} IS NOT NULL THEN coalesce(list_position(k.chain, {literal(n)}), 0) "
            "ELSE 0 END"
            for n, c in zip(names, map(ident, names), strict=True)
        )
        + ")"
    )
    branches = [
        ("g.provision IS NULL", "'E321|none'"),
        ("k.provision IS NULL", "'E321|unknown'"),
        ("k.kind <> 'award'", "'E321|kind'"),
        *(
            (
                f"g.{ident(n)} IS NOT NULL AND NOT list_contains(k.chain, {literal(n)})",
                f"'E323|{n}'",
            )
            for n in names
        ),
        *(
            (
                f"g.{ident(n)} IS NULL AND coalesce(list_position(k.chain, {literal(n)}), 0) "
                f"BETWEEN 1 AND greatest(k.need, {deepest})",
                f"'E322|{n}'",
            )
            for n in names
        ),
        ("g.amount IS NULL", "'E324|none'"),
        ("g.year IS NULL AND k.yearly", "'E325|none'"),
    ]
    reason = "CASE " + " ".join(f"WHEN {c} THEN {r}" for c, r in branches) + " END"
    bad = sql.rows(
        f"SELECT g._row, g.provision, {reason} AS why, k.chain FROM {ident(table)} g "
        f"LEFT JOIN _ledger_keys k ON g.provision = k.provision WHERE {reason} IS NOT NULL "
        f"ORDER BY g._row LIMIT 30"
    )
    keys = grant_keys(policy)
    kinds = {p.id: p.kind for p in policy.provisions()}
    diags = []
    for row, pid, why, chain in bad:
        code, _, what = str(why).partition("|")
        at = f"{shown}: row {row}"
        if code == "E321" and what == "kind":
            message, hint = (
                f"{pid} is a {kinds[pid]}, not an award: only awards make grants",
                "remove this row",
            )
        elif code == "E321":
            message = "no provision" if what == "none" else f"unknown provision {pid!r}"
            hint = did_you_mean(str(pid), keys) or "name an award as `document/clause/name`"
        elif code == "E323":
            message = f"{what!r} is not the subject of {pid} or one of its owners"
            hint = f"a grant's path runs {' > '.join(chain)}"
        elif code == "E322":
            why_key = keys[pid].why.get(what) or f"the path runs {' > '.join(chain)}"
            message = (
                f"no `{what}`: {pid} is keyed by {why_key}; "
                "without it the grant could never match a claim"
            )
            hint = f"fill the column {what} with its id"
        elif code == "E324":
            message, hint = "no amount", 'say what was paid: "200万元"'
        else:
            message, hint = (
                f"no year: {pid} has a yearly cap or limit",
                "say which year the grant counts in: 2025",
            )
        diags.append(Diagnostic(code, f"{at}: {message}", hint=hint))
    if diags:
        raise LedgerError(diags)
    _check_spans(policy, sql, table, shown)


def _check_spans(policy: CheckedPolicy, sql: LedgerSql, table: str, shown: str) -> None:
    """E352: a grant's year outside the years its provision pays in
    (:mod:`policyrules.ledger_span`), by the defaults' reading (a ledger table records
    none), with the message a ledger file's grant is given."""
    spans = year_spans(policy)
    if not spans:
        return
    rows: list[list[object]] = [[p, s.low, s.high] for p, s in spans.items()]
    sql.load(
        "_ledger_spans", (("provision", "VARCHAR"), ("low", "INTEGER"), ("high", "INTEGER")), rows
    )
    names = [e.name for e in policy.entities]
    bad = sql.rows(
        f"SELECT g._row, g.provision, g.year, {', '.join(f'g.{ident(n)}' for n in names)} "
        f"FROM {ident(table)} g JOIN _ledger_spans s ON g.provision = s.provision "
        "WHERE g.year < s.low OR g.year > s.high ORDER BY g._row LIMIT 30"
    )
    keys = grant_keys(policy)
    diags = []
    for row, pid, year, *ids in bad:
        given = dict(zip(names, ids, strict=True))
        path = tuple((e, str(given[e])) for e in keys[pid].chain if given.get(e) is not None)
        message, hint = span_error(Grant(pid, path, Money(0), int(year)), spans[pid])
        diags.append(Diagnostic("E352", f"{shown}: row {row}: {message}", hint=hint))
    if diags:
        raise LedgerError(diags)


def _path_sql(policy: CheckedPolicy, alias: str = "") -> list[str]:
    return [f"{alias}{ident(e.name)}" for e in policy.entities]


def check_ledger(
    compiled: CompiledPolicy,
    con: duckdb.DuckDBPyConnection | LedgerSql,
    parts: Sequence[tuple[str, str]],
    parameters: Mapping[str, Value],
    assumptions: Mapping[str, Value],
) -> None:
    """Merge the grants of ``parts`` ((what, table) pairs; each table with the contract's
    ledger columns and ``_row``, its row) into the contract's ``ledger`` table: the same grant
    given twice counts once; then refuse an id written as another number (E323), a payment
    with two amounts (E326), a one-time award paid twice (E328) and a cap already exceeded
    (E329).  ``con``: a DuckDB connection, or another :class:`LedgerSql`."""
    sql = _engine(con)
    policy = compiled.checked
    path = _path_sql(policy)
    cols = ", ".join(["provision", *path, "amount", "year"])
    union = " UNION ALL ".join(
        f"SELECT {cols}, {literal(what)} AS _from, _row FROM {ident(table)}"
        for what, table in parts
    )
    sql.table("_ledger_all", union)
    held, numbered = _profile(policy, sql)
    _check_numbers(policy, sql, numbered)
    identity = ", ".join(["provision", *path, "year"])
    # A payment is listed once: twice in one part, or with two amounts, is refused; the
    # same grant given by two parts is one grant.
    twice = sql.rows(
        f"SELECT {identity}, list(DISTINCT amount ORDER BY amount), "
        f"list(_from || ' row ' || _row ORDER BY _from, _row) FROM _ledger_all "
        f"WHERE amount > 0 GROUP BY ALL "
        f"HAVING count(DISTINCT amount) > 1 OR count(*) > count(DISTINCT _from) LIMIT {_SHOW}"
    )
    diags = [
        Diagnostic(
            "E326",
            f"the grant of {r[0]} to {_describe(policy, r)} is listed twice "
            f"({', '.join(r[-1])})"
            + (
                f" with amounts {', '.join(format_value(Money(a)) for a in r[-2])}"
                if len(r[-2]) > 1
                else ""
            ),
            hint="a grant is recorded once; remove the copy, or correct the amount that is wrong"
            + (
                "; if one tops up the other (a later run's grant of the rest, which its "
                "summary warned of), write their total in one row"
                if len(r[-2]) > 1
                else ""
            ),
        )
        for r in twice
    ]
    if diags:
        raise LedgerError(diags)
    sql.table("ledger", f"SELECT DISTINCT {cols} FROM _ledger_all")
    _check_once(policy, sql, cols, held)
    check_exclusive_sql(policy, sql)
    _check_caps(compiled, sql, parameters, assumptions, held)


# An id that is a number, and that number: `0701`, `701` and `701.0` are all 701.
_NUMBER_ID = r"[0-9]+(\.0*)?"


def _number(column: str) -> str:
    return f"ltrim(regexp_replace({column}, '\\.0*$', ''), '0')"


def _profile(policy: CheckedPolicy, sql: LedgerSql) -> tuple[set[str], set[str]]:
    """The provisions the ledger's grants are of, and the entities some grant names by an
    id that is a number: the checks after look at no other (one query, not one each)."""
    entities = [ent.name for ent in policy.entities if not ent.single]
    numbers = "".join(
        f", bool_or(regexp_full_match({ident(n)}, {literal(_NUMBER_ID)}))" for n in entities
    )
    got = sql.rows(f"SELECT list(DISTINCT provision ORDER BY provision){numbers} FROM _ledger_all")[
        0
    ]
    held = {str(p) for p in got[0] or () if p is not None}
    return held, {n for n, some in zip(entities, got[1:], strict=True) if some}


def _check_numbers(policy: CheckedPolicy, sql: LedgerSql, numbered: set[str]) -> None:
    """E323: a grant's id that no row of the registry has (under the same owners), where a
    row has the same number written otherwise: a spreadsheet that took the ids for numbers
    dropped their zeros (``0701`` saved as ``701``), and the grant would count against no
    claim, its one-time award and caps paid again.  A grant to an id the registry lacks
    otherwise is an earlier grant like another."""
    diags = []
    entities = [ent for ent in policy.entities if ent.name in numbered and not ent.single]
    queries: list[str] = []
    for ent in entities:
        owners = [e.name for e in reversed(policy.chain(ent.name)[1:])]
        same = "".join(f" AND r.{ident(o + '_id')} = g.{ident(o)}" for o in owners)
        mine = f"g.{ident(ent.name)}"
        queries.append(
            f"SELECT g._from, g._row, {mine}, min(r.id) FROM _ledger_all g "
            f"JOIN {ident(ent.key)} r ON r.id <> {mine}{same} "
            f"AND regexp_full_match({mine}, {literal(_NUMBER_ID)}) "
            f"AND regexp_full_match(r.id, {literal(_NUMBER_ID)}) "
            f"AND {_number(mine)} = {_number('r.id')} "
            f"WHERE NOT EXISTS (SELECT 1 FROM {ident(ent.key)} r WHERE r.id = {mine}{same}) "
            f"GROUP BY ALL ORDER BY 1, 2 LIMIT {_SHOW}"
        )
    for k, where, row, given, held in _each(sql, queries, "1, 2, 3"):
        ent = entities[k]
        diags.append(
            Diagnostic(
                "E323",
                f"{where} row {row}: {ent.name} {given!r} is in no row of {ent.key}, which "
                f"has {ent.name} {held!r}: the same number written otherwise",
                hint=f"write the id as the registry does, {held!r} (a spreadsheet that "
                "read the ids as numbers drops their zeros): a grant to another id does "
                f"not count against the one-time awards and caps of {held!r}",
            )
        )
    if diags:
        raise LedgerError(diags)


def _each(sql: LedgerSql, queries: Sequence[str], order: str) -> list[tuple[Any, ...]]:
    """The rows of ``queries`` run as one (a job on Spark, not one per query), each row
    led by its query's index, ordered by ``order`` (that index first)."""
    if not queries:
        return []
    union = " UNION ALL ".join(f"SELECT {k} AS _k, * FROM ({q})" for k, q in enumerate(queries))
    return [tuple(r) for r in sql.rows(f"{union} ORDER BY {order}")]


def _describe(policy: CheckedPolicy, r: Sequence[object]) -> str:
    names = [e.name for e in policy.entities]
    where = ", ".join(
        f"{n} {v}" for n, v in zip(names, r[1 : 1 + len(names)], strict=True) if v is not None
    )
    year = r[1 + len(names)]
    return where + (f", year {year}" if year is not None else "")


def _check_once(policy: CheckedPolicy, sql: LedgerSql, cols: str, held: set[str]) -> None:
    keys = grant_keys(policy)
    spans = entitlement_years(policy)
    diags = []
    once: list[tuple[ProvisionInfo, Once]] = []
    queries: list[str] = []
    for p in policy.provisions():
        for o in p.once:
            chain = keys[p.id].chain
            if o.entity not in chain or p.id not in held:
                continue
            scope = [ident(e) for e in chain[: chain.index(o.entity) + 1]]
            # each grant once (the same grant given by two parts is one), with where it is
            grants = (
                f"SELECT {cols}, list(_from || ' row ' || _row ORDER BY _from, _row) AS _at "
                f"FROM _ledger_all WHERE provision = {literal(p.id)} AND amount > 0 "
                "GROUP BY ALL"
            )
            once.append((p, o))
            years = spans.get(p.id)
            if years is None:
                # the subject's id, how many grants, their places (one shape for every award)
                queries.append(
                    f"SELECT {scope[-1]} AS _id, _n, _places FROM (SELECT {', '.join(scope)}, "
                    "count(*) AS _n, flatten(list(_at ORDER BY _at)) AS _places "
                    f"FROM ({grants}) GROUP BY ALL HAVING count(*) > 1 LIMIT {_SHOW})"
                )
                continue
            # Paid over time: the grants to one subject within its schedule's years are one
            # entitlement (.ledger_check.entitlement_years); two of them under the key, or
            # years further apart, are paid twice.
            path = ", ".join(ident(e) for e in chain)
            each = (
                f"SELECT {path}, count(*) AS _k, max(year) - min(year) AS _span, "
                f"flatten(list(_at ORDER BY _at)) AS _at FROM ({grants}) GROUP BY {path}"
            )
            queries.append(
                f"SELECT {scope[-1]} AS _id, _n, _places FROM (SELECT {', '.join(scope)}, "
                "sum(_k) AS _n, flatten(list(_at ORDER BY _at)) AS _places "
                f"FROM ({each}) GROUP BY {', '.join(scope)} "
                f"HAVING count(*) > 1 OR max(_span) >= {years} LIMIT {_SHOW})"
            )
    for k, *r in _each(sql, queries, "1"):
        p, o = once[k]
        years = spans.get(p.id)
        one = (
            f" (its instalments within the {years} years of one schedule are one payment)"
            if years is not None
            else ""
        )
        diags.append(
            Diagnostic(
                "E328",
                f"{p.id} is paid once per {o.entity} (一次性), and {o.entity} {r[-3]} "
                f"is paid {r[-2]} times in the ledger ({', '.join(r[-1])}){one}",
                hint="a one-time award is paid once; remove the grant that was not made",
            )
        )
    if diags:
        raise LedgerError(diags)


def _check_caps(
    compiled: CompiledPolicy,
    sql: LedgerSql,
    params: Mapping[str, Value],
    assume: Mapping[str, Value],
    held: set[str],
) -> None:
    """:func:`policyrules.ledger_check.check_caps`, with the sums in SQL: the same caps
    (:func:`~policyrules.ledger_check.fixed_caps`), those with grants (of ``held``)."""
    policy = compiled.checked
    keys = grant_keys(policy)
    names = [e.name for e in policy.entities]
    cols = ", ".join(["provision", *_path_sql(policy), "amount", "year"])
    # each grant of `ledger` once, with where it is given (a file, a table's row)
    grants = (
        f"SELECT {cols}, list(_from || ' row ' || _row ORDER BY _from, _row) AS _at "
        "FROM _ledger_all GROUP BY ALL"
    )
    diags: list[Diagnostic] = []
    caps: list[tuple[CompiledProvision, CompiledCap, Money]] = []
    queries: list[str] = []
    for cp, cap, limit, members in fixed_caps(compiled, params, assume):
        pool = sorted(members)
        if not members & held:
            continue
        chains = {p: keys[p].chain for p in pool if p in keys}
        if not cap.per:
            scope = [ident(n) for n in names]
            year = "NULL"
            where = ""
        else:
            # The scope: the path down to the deepest entity the cap is per, which
            # lies at the same depth on every chain of the pool.
            depth = {
                p: max((i + 1 for i, e in enumerate(ch) if e in cap.per), default=0)
                for p, ch in chains.items()
            }
            by_depth = " ".join(f"WHEN provision = {literal(p)} THEN {d}" for p, d in depth.items())
            dep = f"(CASE {by_depth} ELSE 0 END)"
            scope = []
            for n in names:
                pos = " ".join(
                    f"WHEN provision = {literal(p)} THEN {ch.index(n) + 1 if n in ch else 0}"
                    for p, ch in chains.items()
                )
                scope.append(
                    f"CASE WHEN (CASE {pos} ELSE 0 END) BETWEEN 1 AND {dep} THEN {ident(n)} END"
                )
            year = "year" if cap.year is not None else "NULL"
            where = f" AND {dep} > 0"
        caps.append((cp, cap, limit))
        queries.append(
            f"SELECT {', '.join(scope)}, {year}, sum(amount), count(*), "
            f"flatten(list(_at ORDER BY _at)) FROM ({grants}) "
            f"WHERE provision IN ({', '.join(map(literal, pool))}){where} GROUP BY ALL "
            f"HAVING sum(amount) > {max(limit.fen, 0)} LIMIT {_SHOW}"
        )
    for k, *r in _each(sql, queries, "1"):
        cp, cap, limit = caps[k]
        what = " / ".join(f"{n} {v}" for n, v in zip(names, r, strict=False) if v is not None)
        if r[len(names)] is not None:
            what += f", year {r[len(names)]}"
        at = list(r[-1])
        places = ", ".join(at[:_PLACES]) + (
            f" and {len(at) - _PLACES} more" if len(at) > _PLACES else ""
        )
        diags.append(
            Diagnostic(
                "E329",
                f"the ledger already exceeds the cap {cap.text} of {cp.info.id} ({what}): "
                f"{r[-2]} grant(s) total {format_value(Money(int(r[-3])))} against "
                f"{format_value(limit)} ({places})",
                hint=cap_hint(int(r[-3]), limit.fen),
            )
        )
    if diags:
        raise LedgerError(diags)
