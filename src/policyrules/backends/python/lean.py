"""A fused award's claims without explanations: amounts and grants only, rows on demand.

With ``explain=False`` the caller may never look at a decision, yet may do so later
(``result.decisions``), and then every field must be there: amounts, cap events with the
earlier claims of each account, the facts and assumptions read.  :func:`lean_award` writes,
beside the fused function of an award (:mod:`.fused`), a lean one that serves the same
claims in the same order with only what the amounts need: the `order by` keys, the
conditions, the one-time rules, the amount and the caps against running totals kept in
local dicts.  No path, no claim log, no cap record, no row and no set of assumptions per
claim is made; it returns the grants it made as ``(subject, fen, year)`` and the
assumptions read (their union).  Everything else is made on demand by :class:`LeanAward`:
one replay of the fused function itself on the same subjects, with the award's accounts
as they stood before it (empty: see :meth:`LeanAward.replay`), which gives the very rows
and grants the fused function would have given, checked against the lean function's.

The lean function changes nothing outside itself; it declines (``None``, and the fused
function serves the claims) whenever a claim would need anything but generated code: a
key or a condition not computed, a fact not given, a path met twice, an unexpected shape.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from ... import syntax as s
from ...instances import Instance
from ...model import CheckedPolicy
from ...runtime.order import natural_key
from ...runtime.values import year_number
from ...typing_rules import Usage
from .codegen import Slow, _conjuncts, _Gen, _Unsupported, run_source
from .fused import _LOCALS, _WORDS, _end, _Fuse

# A row and a grant row of .rows (which reads .compile, which calls this module).
Row = tuple[Any, ...]
GrantRow = tuple[str, tuple[tuple[str, str], ...], int, int | None]

__all__ = ["LeanAward", "LeanFn", "lean_award"]

# (subjects, assumptions, parameters, the accounts' tables) -> (grants as (subject, fen,
# year), the assumptions read, the number of claims served) or None (declined).
LeanFn = Callable[..., Any]

_LEAN_WORDS = _WORDS | {"L", "acc", "paid", "ones", "ids", "put", "ak", "got", "_settle"}


# An id that is a prefix without any decimal digit, then ASCII digits with no leading zero:
# its natural key is ((1, 0, "", prefix), (0, len, digits, digits)) (the first block left
# out for no prefix), which orders as (prefix != "", prefix, len, digits).
_SIMPLE = re.compile(r"(\D*)([1-9][0-9]*)")


def _settle(holders: dict[str, list[Any]], claims: int) -> None:
    """Fill each id's holder (a one-item list: lists compare by their item) with what
    orders it as its natural key does: its rank among the distinct ids when they are
    few (ints compare fast, and ranking sorts the distinct ids only); else a flat key
    (:data:`_SIMPLE`, the prefix shared) when every id is that simple; else the
    natural key itself."""
    if len(holders) * 8 <= claims:
        for rank, ident in enumerate(sorted(holders, key=natural_key)):
            holders[ident][0] = rank
        return
    flat: dict[str, tuple[bool, str, int, str]] = {}
    prefixes: dict[str, str] = {}
    for ident in holders:
        m = _SIMPLE.fullmatch(ident)
        if m is None:
            for ident, holder in holders.items():
                holder[0] = natural_key(ident)
            return
        prefix, digits = m.groups()
        flat[ident] = (prefix != "", prefixes.setdefault(prefix, prefix), len(digits), digits)
    for ident, holder in holders.items():
        holder[0] = flat[ident]


def lean_award(cp: Any, policy: CheckedPolicy) -> LeanFn | None:
    """The lean function of award ``cp`` (a ``CompiledProvision`` the caller has fused:
    :func:`~.fused.fused_award` returned a function for it), or ``None``."""
    p = cp.info
    assert p.subject is not None
    doc = next((d for d in policy.documents if d.name == p.document), None)
    try:
        return _Lean(_Gen(policy, p.subject, doc), cp, policy).lean()
    except _Unsupported:  # pragma: no cover - the fused function was written from the same
        return None


class _Lean(_Fuse):
    """Writes the lean function of one award (see the module's docstring)."""

    def lean(self) -> LeanFn:
        p, cp, gen = self.cp.info, self.cp, self.gen
        k = gen.const
        depth = len(self.chain)
        gen.values = "_V"
        conditions = [gen.expr(part) for line in p.eligible for part in _conjuncts(line.condition)]
        if p.amount is not None:
            amount = gen.expr(p.amount.expr)
        else:
            assert p.decided is not None
            amount = gen.expr(s.Name((p.decided.fact,)))
        limits = [self._fen(cap.limit) for cap in p.caps]
        years = [self._year(c.year_of) if c.year_of is not None else None for c in p.caps]
        keys = [self._key(x) for x in p.order]
        gen.ns.update({"_Slow": (Slow, KeyError), "_settle": _settle, "_pid": p.id})
        ends = [_end(self.chain, cap.per) for cap in p.caps]
        once = [(n, _end(self.chain, (o.entity,))) for n, o in enumerate(p.once)]
        checked = [(n, end) for n, end in once if p.once[n].entity in self.chain]
        w = self.emit
        w(0, "def _serve(insts, A, P, by, uidx, gidx, gnow, pidx, pnow):")
        w(1, "L = uidx or gidx or pidx")  # a ledger: its tables are read by path
        w(1, "used = set()")
        w(1, "pend = []")
        w(1, "add = pend.append")
        w(1, "ids = set()")
        for d in range(depth):
            w(1, f"_r{d} = {{}}")
        w(1, "n = 0")
        w(1, "for i in insts:")
        w(2, "n += 1")
        w(2, f"_w{depth - 1} = i")
        for d in range(depth - 2, -1, -1):
            w(2, f"_w{d} = _w{d + 1}.parent")
            w(2, f"if _w{d} is None:")
            w(3, "return None")
        w(2, "if _w0.parent is not None:")
        w(3, "return None")
        entities = " or ".join(f"_w{d}.entity != {k(e)}" for d, e in enumerate(self.chain))
        w(2, f"if {entities}:")
        w(3, "return None")
        # Each path once (the fused function declines a path met twice only where a cap is
        # counted per subject; here the accounts of this evaluation are not read by path).
        w(2, f"ids.add(({''.join(f'_w{d}.id, ' for d in range(depth))}))")
        w(2, "if len(ids) != n:")
        w(3, "return None")
        w(2, "_V = i.values")
        # The key of claim_key without its constants: every `order by` key known (else the
        # fused function serves them); the path's ids in natural order, less the subject's
        # own id when it is already an `order by` key (equal there, equal here).  Each id
        # by a holder, one per distinct id of its level (_r0 ...), which _settle fills
        # with the id's rank or its natural key once every claim has one.
        for d in range(depth):
            w(2, f"_t{d} = _r{d}.get(_w{d}.id)")
            w(2, f"if _t{d} is None:")
            w(3, f"_t{d} = _r{d}[_w{d}.id] = [_w{d}.id]")
        subject = f"_t{depth - 1}"
        keys = [subject if x == "_nt(i.id)" else x for x in keys]
        nks = [f"_t{d}" for d in range(depth)]
        if subject in keys:
            nks.pop()
        # With no one-time rule shared by several paths, all a claim's own values are
        # computed here, in the facts' order, and an ineligible claim is left out of the
        # sort; the served order then only meets the accounts.
        early = all(end == depth for _, end in checked)
        path = "(" + "".join(f"(_w{d}.entity, _w{d}.id), " for d in range(depth)) + ")"
        mine = ["req"] + [f"_l{j}" for j in range(len(limits))]
        mine += [f"_y{j}" for j, y in enumerate(years) if y is not None and cp.caps[j].per]

        def own(at: int) -> None:
            # conditions, one-time rules, amount, limits, years; `continue`: not paid
            if conditions:
                w(at, "try:")
                for j, c in enumerate(conditions):
                    w(at + 1, f"_c{j} = {c}")
                w(at, "except _Slow:")
                w(at + 1, "return None")
                w(at, f"if not ({' and '.join(f'_c{j}' for j in range(len(conditions)))}):")
                w(at + 1, "continue")
            w(at, f"path = {path} if L else None")
            for _, end in checked:
                scope = "path" if end == depth else f"path[:{end}]"
                w(at, f"if L and (_pid, {scope}) in pidx:")
                w(at + 1, "continue")
                if end < depth:  # claims of this evaluation share the scope
                    w(at, f"if ({''.join(f'_w{d}.id, ' for d in range(end))}) in ones:")
                    w(at + 1, "continue")
            w(at, "try:")
            w(at + 1, f"req = ({amount}).fen")
            for j, lim in enumerate(limits):
                w(at + 1, f"_l{j} = {lim}")
            for j, y in enumerate(years):
                if y is not None and cp.caps[j].per:
                    w(at + 1, f"_y{j} = {y}")
            w(at, "except _Slow:")
            w(at + 1, "return None")

        if keys:
            w(2, "try:")
            for j, x in enumerate(keys):
                w(3, f"_x{j} = {x}")
            w(2, "except _Slow:")
            w(3, "return None")
        head = [f"_x{j}" for j in range(len(keys))] + nks + ["n", "i"]
        if early:
            own(2)
            head += mine
        w(2, f"add(({''.join(x + ', ' for x in head)}))")
        for d in range(depth):
            w(1, f"_settle(_r{d}, n)")
        w(1, "pend.sort()")
        w(1, "paid = []")
        w(1, "put = paid.append")
        w(1, "acc = {}")  # (cap pool, scope ids, year) -> [certain fen, possible fen]
        w(1, "ones = set()")  # the scopes (their ids) a one-time rule marked paid
        head[len(keys) : len(keys) + len(nks) + 1] = [
            f"_x{len(keys) + j}" for j in range(len(nks) + 1)
        ]
        w(1, f"for ({''.join(x + ', ' for x in head)}) in pend:")
        w(2, f"_w{depth - 1} = i")
        for d in range(depth - 2, -1, -1):
            w(2, f"_w{d} = _w{d + 1}.parent")
        if early:
            w(2, f"path = {path} if L else None")
        else:
            w(2, "_V = i.values")
            own(2)
        w(2, "if req < 0:")
        w(3, "req = 0")
        # Granted before under this award: the ledger's only (each path served once).
        w(2, "before = gidx.get((_pid, path), 0) if L else 0")
        w(2, "if before:")
        w(3, "req = req - before if req > before else 0")
        w(2, "running = lowest = req")
        w(2, "year = None")
        accounts: list[int] = []
        for j, cap in enumerate(cp.caps):
            if not cap.per:
                w(2, f"room = _l{j} - before if _l{j} > before else 0")
                w(2, "running = running if running < room else room")
                w(2, "if room < lowest:")
                w(3, "lowest = room")
                continue
            end = ends[j]
            scope = "path" if end == depth else f"path[:{end}]"
            year = "None"
            if years[j] is not None:
                year = f"_y{j}"
                w(2, f"year = _y{j}")
            w(2, f"_u{j} = uidx.get(({k(cap.pool)}, {scope}, {year}), 0) if L else 0")
            if end == depth:  # one claim a path: no earlier claim of this evaluation
                w(2, f"room = _l{j} - _u{j}")
                w(2, "running = running if running < room else (room if room > 0 else 0)")
            else:
                accounts.append(j)
                ids = "".join(f"_w{d}.id, " for d in range(end))
                w(2, f"ak = ({k(cap.pool)}, {ids}{year})")
                w(2, f"_a{j} = acc.get(ak)")
                w(2, f"if _a{j} is None:")
                w(3, f"_a{j} = acc[ak] = [0, 0]")
                w(2, f"room = _l{j} - _u{j} - _a{j}[0]")
                w(2, "running = running if running < room else (room if room > 0 else 0)")
                w(2, f"room -= _a{j}[1]")
            w(2, "if room < lowest:")
            w(3, "lowest = room if room > 0 else 0")
        w(2, "got = 0 if lowest == running else 1")  # exact: 0, up to: 1
        for m, j in enumerate(accounts):
            earlier = [f"_a{j} is not _a{o}" for o in accounts[:m]]
            at = 2
            if earlier:
                w(2, f"if {' and '.join(earlier)}:")
                at = 3
            w(at, f"_a{j}[got] += running")
        w(2, "if running and not got:")
        for end in sorted({end for _, end in once if end < depth}):
            w(3, f"ones.add(({''.join(f'_w{d}.id, ' for d in range(end))}))")
        w(3, "put((i, running, year))")
        w(1, "return paid, used, n")
        source = "\n".join(self.lines) + "\n"
        fn: LeanFn = run_source(source, gen.ns, _LEAN_WORDS, _LOCALS)["_serve"]
        return fn

    def _year(self, e: s.Expr) -> str:
        """A cap's year: a date's ``.year`` at once (``year_number`` of a date)."""
        if self.gen.typer.type_of(e, Usage()).kind == "date":
            return f"({self.gen.expr(e)}).year"
        self.gen.ns["_yn"] = year_number
        return f"_yn({self.gen.expr(e)})"


class LeanAward:
    """The claims of one award served by its lean function: the grants it made, the
    assumptions it read, and its rows made on demand (:meth:`replay`)."""

    __slots__ = ("_args", "_full", "_made", "_pid", "paid", "used")

    def __init__(
        self, pid: str, full: Any, args: tuple[Any, ...], paid: list[Any], used: set[str]
    ) -> None:
        self._pid = pid
        self._full = full
        self._args = args  # subjects, assumptions, parameters, ledger tables
        self.paid = paid
        self.used = used
        self._made: tuple[list[Row], list[GrantRow]] | None = None

    def replay(self) -> tuple[list[Row], list[GrantRow]]:
        """The rows and grant rows the fused function gives for these claims, made once.

        The award's accounts in this evaluation held nothing before its claims were
        served (its pools are its own, and it is served once: checked before the lean
        function runs), so the fused function is run on fresh ones; the ledger's tables
        are the index's, which never change."""
        if self._made is None:
            subjects, a, p, uidx, gidx, pidx = self._args
            grants: list[GrantRow] = []
            tables: tuple[Any, ...] = ({}, uidx, gidx, defaultdict(int), pidx, set())
            got = self._full(subjects, a, p, *tables, grants, _never, _never)
            assert got is not None, "the fused function declined what the lean one served"
            lean = [(_subject(i), fen, year) for i, fen, year in self.paid]
            again = [("/".join(i for _, i in path), fen, year) for _, path, fen, year in grants]
            assert lean == again, "the fused function paid otherwise than the lean one"
            self._made = (got[0], grants)
        return self._made


def _subject(inst: Instance | None) -> str:
    """``f1/P2``: the ids from the outermost owner down."""
    ids = []
    while inst is not None:
        ids.append(inst.id)
        inst = inst.parent
    return "/".join(reversed(ids))


def _never(*_: Any) -> Any:
    raise AssertionError("a claim the lean function served needs the general way")


def untouched(tables: tuple[Any, ...], pid: str, pools: set[str]) -> bool:
    """Whether this evaluation's accounts hold nothing of award ``pid`` yet (the lean
    function leaves them so; its rows are replayed on fresh ones)."""
    by, _, _, granted, _, paid = tables
    if any(key[0] in pools for key in by):
        return False
    return not any(key[0] == pid for key in granted) and not any(key[0] == pid for key in paid)
