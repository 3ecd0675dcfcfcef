"""One firm of a registry as facts: what ``eval REGISTRY --firm ID`` evaluates one by one.

:func:`registry_facts` reads the registry as the batch does (:func:`policyrules.tables.
read_registry`: every table, with the batch's refusals and id rules, E620-E630), then
takes the chosen firms' rows (the ``firm`` entity's rows of those ids, the rows of every
entity under it whose ``firm_id`` is one of them) and the registry's single records
(``reports``: one row each, read by any subject), each value as the facts reader makes it
(money in fen as :class:`~policyrules.runtime.money.Money`, a rate or a number as its
Decimal, a duration in its unit).  The registry's ``ledger`` table, read as the batch reads
it (E320), gives the facts' own ``ledger:``: the grants to those firms, amounts as exact
元 text, as a facts file holds them.  A quota (``quota N ranked by F``) ranks every
subject of the registry together in the batch: the other firms' subjects of each quota come
along as the facts' ``rivals``, their ranks counted, so one firm's decision under a quota is
the batch's (a tie at the boundary, a subject not yet ranked elsewhere).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from . import types as t
from .batch_write import grants_ledger
from .check_tables import quota_of
from .errors import Diagnostic, LedgerError, TableError, first_line, quoted
from .id_hints import SHOWN, edit_limit, id_key, id_text, ids_hint
from .instances import Facts, Instance, QuotaRivals
from .model import CheckedPolicy, EntityInfo
from .runtime.currency import Foreign
from .runtime.money import Money
from .runtime.values import NONE, Duration, Value
from .tables import read_registry
from .tables_ledger import read_ledger_table
from .tables_values import ident, literal, none_columns

__all__ = ["FIRM", "registry_facts"]

FIRM = "firm"  # the entity --firm names, as the batch's ``firm`` column does


def _refuse(message: str, hint: str | None = None) -> TableError:
    return TableError(Diagnostic("E635", message, hint=hint))


def _number(d: Decimal) -> Decimal:
    """A DECIMAL(38,10) as the facts reader would have read it: ``12.5``, ``100``."""
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d.normalize()


def _value(v: Any, ty: t.Type) -> Value:
    kind = ty.kind
    if kind in ("set", "list"):
        element = ty.element or t.TEXT
        items = [_value(x, element) for x in v if x is not None]
        return frozenset(items) if kind == "set" else tuple(items)
    if kind == "money":
        return Foreign(ty.unit, int(v)) if ty.unit else Money(int(v))
    if kind in ("rate", "number", "year"):
        return _number(Decimal(v))
    if kind == "duration":
        return Duration(Decimal(int(v)), ty.unit or "日")
    if kind == "date" and isinstance(v, dt.date):
        return v
    if kind in ("bool", "text", "enum"):
        return v
    raise TableError(  # pragma: no cover - the registry reader refuses such a fact first
        Diagnostic("E636", f"a fact of type {ty.describe()} is not read from a registry")
    )


def _rows(
    con: duckdb.DuckDBPyConnection, ent: EntityInfo, where: str
) -> tuple[list[str], list[tuple[Any, ...]]]:
    got = con.execute(f"SELECT * FROM {ident(ent.key)}{where} ORDER BY id")
    names = [str(d[0]) for d in got.description or ()]
    return names, got.fetchall()


def _instances(
    policy: CheckedPolicy, con: duckdb.DuckDBPyConnection, firms: Sequence[str]
) -> dict[str, tuple[Instance, ...]]:
    chosen = ", ".join(literal(f) for f in firms)
    made: dict[str, dict[str, Instance]] = {}
    out: dict[str, list[Instance]] = {e.name: [] for e in policy.entities}
    for ent in policy.entities:  # owners before what they own
        chain = [e.name for e in policy.chain(ent.name)]
        if ent.name == FIRM:
            where = f" WHERE id IN ({chosen})"
        elif FIRM in chain:
            where = f" WHERE {ident(FIRM + '_id')} IN ({chosen})"
        elif not ent.single:
            continue  # another firm's, or no firm's (a venture org, an institution)
        else:
            where = ""
        names, rows = _rows(con, ent, where)
        facts = {f.name: f.type for f in ent.facts if f.name != "id"}
        flags = none_columns(ent)
        for row in rows:
            cells = dict(zip(names, row, strict=True))
            values: dict[str, Value] = {}
            for name, ty in facts.items():
                if cells.get(name) is not None:
                    values[name] = _value(cells[name], ty)
            for column, name in flags.items():
                if cells.get(column) is True:
                    values[name] = NONE
            parent = None
            if ent.parent is not None:
                parent = made[ent.parent][str(cells[ent.parent + "_id"])]
            path = ent.key if ent.single else f"{ent.key}[{cells['id']}]"
            if parent is not None:
                path = f"{parent.path}.{path}"
            inst = Instance(ent.name, str(cells["id"]), values, parent, path)
            made.setdefault(ent.name, {})[inst.id] = inst
            out[ent.name].append(inst)
    return {k: tuple(v) for k, v in out.items()}


def _check_firms(
    policy: CheckedPolicy, con: duckdb.DuckDBPyConnection, where: str, firms: Sequence[str]
) -> None:
    ent = policy.entity(FIRM)
    if ent is None or ent.single:
        raise _refuse(
            f"--firm: this policy has no entity `{FIRM}` whose rows it could name",
            "evaluate the registry whole: policyrules batch",
        )
    if not firms:
        raise _refuse("name the firm to evaluate: --firm ID", f"an id of {ent.key}")
    table = ident(ent.key)
    chosen = ", ".join(literal(f) for f in firms)
    got = con.execute(f"SELECT id FROM {table} WHERE id IN ({chosen})").fetchall()
    found = {str(r[0]) for r in got}
    for firm in firms:
        if firm not in found:
            (n,) = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0]
            raise _refuse(
                f"{where}: no {FIRM} {quoted(firm)} in {ent.key}",
                _meant(con, table, firm)
                or f"{ent.key} holds {n} firm(s); an id is compared as written",
            )


def _rivals(
    policy: CheckedPolicy, con: duckdb.DuckDBPyConnection, firms: Sequence[str]
) -> dict[str, QuotaRivals]:
    """By provision id, the subjects of each quota (``quota N ranked by F``) that other firms
    of the registry hold: the batch ranks every row of the quota's subject table together,
    so one firm's projects rank among theirs (a tie at the boundary, or a firm not yet
    ranked, is seen as the batch sees it)."""
    chosen = ", ".join(literal(f) for f in firms)
    out: dict[str, QuotaRivals] = {}
    for p in policy.provisions():
        q = quota_of(p)
        r = policy.resolve((q.rank,), p.subject) if q is not None else None
        if q is None or r is None or r.entity is None:
            continue
        chain = policy.chain(p.subject)
        if FIRM not in (e.name for e in chain):
            continue  # no firm's subjects: none of them is evaluated with --firm
        subject = chain[0]
        mine = "s.id" if subject.name == FIRM else f"s.{ident(FIRM + '_id')}"
        join, rank = "", f"s.{ident(q.rank)}"
        if r.entity != subject.name:  # the rank is an owner's fact: join the owner's row
            owner = policy.chain(r.entity)
            on = [f"o.id = s.{ident(r.entity + '_id')}"]
            on += [f"o.{ident(e.name + '_id')} = s.{ident(e.name + '_id')}" for e in owner[1:]]
            join = f" JOIN {ident(owner[0].key)} AS o ON {' AND '.join(on)}"
            rank = f"o.{ident(q.rank)}"
        got = con.execute(
            f"SELECT {rank}, count(*) FROM {ident(subject.key)} AS s{join} "
            f"WHERE {mine} NOT IN ({chosen}) GROUP BY 1"
        ).fetchall()
        ent = policy.entity(r.entity)
        f = ent.fact(q.rank) if ent is not None else None
        assert f is not None  # the checker resolved it (E275)
        ranks: dict[Decimal, int] = {}
        unranked = 0
        for v, n in got:
            if v is None:
                unranked += int(n)
                continue
            d = _value(v, f.type)
            assert isinstance(d, Decimal)  # a rank is a count (E282 otherwise)
            ranks[d] = ranks.get(d, 0) + int(n)
        if ranks or unranked:
            out[p.id] = QuotaRivals(tuple(sorted(ranks.items())), unranked)
    return out


# id_hints.id_text and id_key in SQL, for the registry's own ids: the registry reader has
# refused any holding an invisible character, a full-width form or another script's digit
# (E624), so lower case, the look-alikes and ASCII white space are what is left to set
# aside.  A Python function over every row took 11 s at 10^6 firms; these take under 1 s.
_ID_TEXT = "translate(lower(raw), 'oil \t\n\r\f\v', '011')"
_ID_KEY = "regexp_replace(t, '(^|[^0-9])0+([0-9])', '\\1\\2', 'g')"


def _meant(con: duckdb.DuckDBPyConnection, table: str, firm: str) -> str | None:
    """The did-you-mean of a firm id not in ``table``, over all its ids (:mod:`.id_hints`):
    the same id written differently, else the ids an edit or two away once written alike."""
    raw = f"(SELECT id, CAST(id AS VARCHAR) AS raw FROM {table})"
    ids = f"(SELECT id, raw, {_ID_TEXT} AS t FROM {raw})"
    key, text = id_key(firm), id_text(firm)
    same = con.execute(
        # the key only drops zeros from t: the cheap test first
        f"SELECT id FROM {ids} WHERE replace(t, '0', '') = $bare AND {_ID_KEY} = $key "
        f"ORDER BY damerau_levenshtein(raw, $firm), id LIMIT {SHOWN}",
        {"bare": key.replace("0", ""), "key": key, "firm": firm},
    ).fetchall()
    close: list[tuple[Any, ...]] = []
    if not same:
        close = con.execute(
            f"SELECT id FROM {ids} WHERE abs(length(t) - length($text)) <= $most "
            "AND damerau_levenshtein(t, $text) <= $most "
            "ORDER BY damerau_levenshtein(t, $text), damerau_levenshtein(raw, $firm), id "
            f"LIMIT {SHOWN}",
            {"text": text, "firm": firm, "most": edit_limit(text)},
        ).fetchall()
    return ids_hint([str(r[0]) for r in same], [str(r[0]) for r in close])


def _ledger(con: duckdb.DuckDBPyConnection, firms: Sequence[str]) -> list[dict[str, Any]]:
    """The grants of the ledger read into ``_ledger_table`` to ``firms``, as a facts file's."""
    grants = json.loads(grants_ledger(con, (), "_ledger_table"))["ledger"]
    return [g for g in grants if g.get(FIRM) in firms]


def registry_facts(policy: CheckedPolicy, source: str | Path, firms: Sequence[str]) -> Facts:
    """The facts of ``firms`` (ids of the ``firm`` entity) in the registry at ``source`` (a
    directory of tables or a DuckDB file, as the batch reads it), with the registry's
    ``ledger`` grants to them as the facts' ``ledger:`` (``extra["ledger"]``: provision,
    the ids of the grant's path, ``amount`` in 元 as exact text, ``year``).

    :raises TableError: the registry refused as the batch refuses it (E620-E630); E635 no
        ``firms`` given, a firm not in the registry (with the ids closest to it), or a
        policy with no ``firm`` entity.
    :raises LedgerError: E320 the registry's ledger table cannot be read.
    """
    con = duckdb.connect(":memory:")
    try:
        _, sources = read_registry(policy, source, con)
        _check_firms(policy, con, str(source), list(firms))
        extra: dict[str, Any] = {}
        own = next((s for s in sources if s.name == "ledger"), None)
        if own is not None:
            try:
                read_ledger_table(policy, con, own, "_ledger_table")
            except duckdb.Error as exc:
                raise LedgerError(
                    Diagnostic("E320", f"{own.shown}: cannot read the ledger: {first_line(exc)}")
                ) from None
            extra["ledger"] = _ledger(con, list(firms))
        instances = _instances(policy, con, list(dict.fromkeys(firms)))
        rivals = _rivals(policy, con, list(dict.fromkeys(firms)))
    finally:
        con.close()
    return Facts(instances, extra, read_ids=instances, rivals=rivals)
