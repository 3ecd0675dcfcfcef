"""A fused award's claims without explanations: amounts and grants only, rows on demand.

With ``explain=False`` the caller may never look at a decision, yet may do so later
(``result.decisions``), and then every field must be there: amounts, cap events with the
earlier claims of each account, the facts and assumptions read.  :func:`lean_award` writes,
beside the fused function of an award (:mod:`.fused`), a lean one that serves the same
claims in the same order with only what the amounts need: the `order by` keys, the
conditions, the one-time rules, the amount and the caps against running totals kept in
local dicts.  No path, no claim log, no cap record, no row, no tuple and no set of
assumptions per claim is made: what the served order needs of a claim is kept in columns
(lists, one item per claim), the order itself keyed once as one int per claim
(:mod:`.lean_order`), each account found once per claim in facts order and each
assumption read once per evaluation, so the cost per claim stays flat as claims grow (a
sort of tuples comparing dates, ids and tuples on ties, and reads scattered in the served
order, made 10^5 claims cost twice what 10^3 did per claim).  It returns the grants it
made as three columns (subjects, fens, years) and the assumptions read (their union): a caller who
reads only the grants (the awards) gets them from that record.  Everything else is made
on demand by :class:`LeanAward`: one replay of the fused function itself on the same
subjects, with the award's accounts as they stood before it (empty: see
:meth:`LeanAward.replay`), which gives the very rows and grants the fused function would
have given, checked against the lean function's.

The lean function changes nothing outside itself; it declines (``None``, and the fused
function serves the claims) whenever a claim would need anything but generated code: a
key or a condition not computed, a fact not given, a path met twice, an unexpected shape.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import Any

from ... import syntax as s
from ...instances import Instance
from ...model import CheckedPolicy
from ...runtime.claim_log import ClaimLogs
from ...runtime.grants import Grant, GrantRow
from ...runtime.values import year_number
from .codegen import Slow, _conjuncts, _Gen, _Unsupported, run_source
from .fused import _WORDS, _end, _Fuse
from .lean_order import served_order
from .trusted import grants

# A row of .rows (which reads .compile, which calls this module).
Row = tuple[Any, ...]

__all__ = ["LeanAward", "LeanFn", "lean_award"]

# (subjects, assumptions, parameters, the accounts' tables) -> (the grants as columns:
# subjects, fens, years; the assumptions read; the number of claims served) or None
# (declined).
LeanFn = Callable[..., Any]

_LEAN_WORDS = _WORDS | {"L", "acc", "paid", "ones", "put", "ak", "got", "sel", "order"}
_LEAN_WORDS |= {"_order", "fens", "years", "putf", "puty"}
# Its own locals: those of .fused, and the columns: _q0 (a level's ids), _z0 (an `order by`
# key), _m0 (what the served order reads of a claim); _h0 and _g0 (an assumption, read).
_LEAN_LOCALS = re.compile(r"_[claurtywxqzmhg][0-9]+\Z")
# A constant of the generated source (codegen's _Gen.const).
_CONST = re.compile(r"_k[0-9]+\Z")


def lean_award(cp: Any, policy: CheckedPolicy) -> LeanFn | None:
    """The lean function of award ``cp`` (a ``CompiledProvision`` the caller has fused:
    :func:`~.fused.fused_award` returned a function for it), or ``None``."""
    p = cp.info
    assert p.subject is not None
    doc = next((d for d in policy.documents if d.name == p.document), None)
    try:
        return _Lean(_HoistedGen(policy, p.subject, doc), cp, policy).lean()
    except _Unsupported:  # pragma: no cover - the fused function was written from the same
        return None


class _HoistedGen(_Gen):
    """The expressions' code with each assumption read once per evaluation: an
    assumption is the same for every claim, so its value is held in a local (``_h0``)
    and a read only marks it read (``_g0``: the value once read, else ``_A``); the lean
    function adds the assumptions read to ``used`` at its end, as each read would have.
    An assumption not given is read as before (``A[key]``: a KeyError, and the lean
    function declines)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.hoisted: dict[str, int] = {}  # assumption -> the number of its locals
        # Reading the conditions: an assumption read marks nothing; which count is known
        # from their values (the first false one's, else all: :meth:`_Lean._own`).
        self.quiet = False

    def assumption(self, name: str) -> str:
        at = self.hoisted.setdefault(name, len(self.hoisted))
        if self.quiet:
            return f"(_h{at} if _h{at} is not _A else A[{self.const(name)}])"
        return f"((_g{at} := _h{at}) if _h{at} is not _A else {super().assumption(name)})"


class _Lean(_Fuse):
    """Writes the lean function of one award (see the module's docstring)."""

    marks: list[list[int]]  # per condition, the hoisted assumptions its code reads

    def lean(self) -> LeanFn:
        p, cp, gen = self.cp.info, self.cp, self.gen
        k = gen.const
        depth = len(self.chain)
        gen.values = "_V"
        assert isinstance(gen, _HoistedGen)
        parts = [part for line in p.eligible for part in _conjuncts(line.condition)]
        gen.quiet = True
        conditions = [gen.expr(part) for part in parts]
        gen.quiet = False
        self.marks = [sorted(gen.hoisted[a] for a in gen.assumed(x, True)) for x in parts]
        if p.amount is not None:
            amount = gen.expr(p.amount.expr)
        else:
            assert p.decided is not None
            amount = gen.expr(s.Name((p.decided.fact,)))
        limits = [self._fen(cap.limit) for cap in p.caps]
        years = [self._year(c.year_of) if c.year_of is not None else None for c in p.caps]
        keys = [self._key(x) for x in p.order]
        gen.ns.update({"_Slow": (Slow, KeyError), "_pid": p.id, "_yn": year_number})
        gen.ns.update({"_order": served_order})
        ends = [_end(self.chain, cap.per) for cap in p.caps]
        once = [(n, _end(self.chain, (o.entity,))) for n, o in enumerate(p.once)]
        checked = [(n, end) for n, end in once if p.once[n].entity in self.chain]
        # With no one-time rule shared by several paths, all a claim's own values are
        # computed in the first loop, in the facts' order, and an ineligible claim is left
        # out of the sort; the served order then only meets the running totals.
        early = all(end == depth for _, end in checked)
        shared = [end for end in sorted({end for _, end in once if end < depth})]
        path = "(" + "".join(f"(_w{d}.entity, _w{d}.id), " for d in range(depth)) + ")"
        # Caps with an account of this evaluation (a scope shorter than the path).
        accounts = [j for j, cap in enumerate(cp.caps) if cap.per and ends[j] < depth]
        # What the served order reads of a claim: in columns, one item per claim kept
        # (no tuple per claim), read back by the claim's position.
        mine = ["i"]
        if early:
            # a limit that is a constant is not kept per claim
            mine += ["req"] + [f"_l{j}" for j, x in enumerate(limits) if not _CONST.match(x)]
            mine += [f"_y{j}" for j, y in enumerate(years) if y is not None and cp.caps[j].per]
            mine += [f"_a{j}" for j in accounts]
        w = self.emit
        w(0, "def _serve(insts, A, P, by, uidx, gidx, gnow, pidx, pnow):")
        w(1, "L = uidx or gidx or pidx")  # a ledger: its tables are read by path
        w(1, "used = set()")
        w(1, "acc = {}")  # (cap pool, scope ids, year) -> [certain fen, possible fen]
        if shared:  # the scopes (their ids) a one-time rule per an owner marked paid
            w(1, "ones = set()")
        assert isinstance(gen, _HoistedGen)
        hoisted = [(at, k(name)) for name, at in gen.hoisted.items()]
        for at, key in hoisted:
            w(1, f"_h{at} = A.get({key}, _A)")
            w(1, f"_g{at} = _A")
        # The sort key's parts as columns: the `order by` keys (_z), each level's ids (_q).
        for d in range(depth):
            w(1, f"_q{d} = []")
        for j in range(len(keys)):
            if keys[j] != "_nt(i.id)":
                w(1, f"_z{j} = []")
        w(1, "sel = []" if early else "sel = None")
        w(1, "_m0 = []")  # what the served order reads of a claim: a tuple if more than one
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
        for d in range(depth):
            w(2, f"_q{d}.append(_w{d}.id)")
        w(2, "_V = i.values")
        # The key of claim_key without its constants: every `order by` key known (else the
        # fused function serves them); the path's ids in natural order, less the subject's
        # own id when it is already an `order by` key (equal there, equal here).
        columns = []
        for j, x in enumerate(keys):
            columns.append(f"(_q{depth - 1}, 1)" if x == "_nt(i.id)" else f"(_z{j}, 0)")
        ids = [f"(_q{d}, 1)" for d in range(depth)]
        if "_nt(i.id)" in keys:
            ids.pop()
        columns += ids
        if any(x != "_nt(i.id)" for x in keys):
            w(2, "try:")
            for j, x in enumerate(keys):
                if x != "_nt(i.id)":
                    w(3, f"_z{j}.append({x})")
            w(2, "except _Slow:")
            w(3, "return None")
        if early:
            self._own(2, conditions, checked, path, amount, limits, years, accounts)
            w(2, "sel.append(n - 1)")
        w(2, f"_m0.append({_tuple(mine)})")
        # Each path once (the fused function declines a path met twice only where a cap is
        # counted per subject; here the accounts of this evaluation are not read by path).
        # One claim or none: a distinct path; else the order _order gives (positions in
        # sel), None where two paths are the same (or a key does not sort).
        w(1, "if n <= 1:")
        w(2, "order = [0] if sel else []" if early else "order = [0] if n else []")
        w(1, "else:")
        qs = "".join(f"_q{d}, " for d in range(depth))
        w(2, f"order = _order(({''.join(c + ', ' for c in columns)}), sel, ({qs}))")
        w(2, "if order is None:")
        w(3, "return None")
        # The claims paid, in three columns (no tuple a claim): subject, fen, year.
        w(1, "paid = []")
        w(1, "fens = []")
        w(1, "years = []")
        w(1, "put = paid.append")
        w(1, "putf = fens.append")
        w(1, "puty = years.append")
        w(1, "for e in order:")
        w(2, f"{', '.join(mine)} = _m0[e]")
        if early:
            for j, x in enumerate(limits):
                if _CONST.match(x):
                    w(2, f"_l{j} = {x}")
        if early and not shared:  # the owners only for the ledger's paths
            w(2, "path = None")
            w(2, "if L:")
            at = 3
        else:
            at = 2
        w(at, f"_w{depth - 1} = i")
        for d in range(depth - 2, -1, -1):
            w(at, f"_w{d} = _w{d + 1}.parent")
        if early:
            w(at, f"path = {path}" if at == 3 else f"path = {path} if L else None")
        else:
            w(2, "_V = i.values")
            self._own(2, conditions, checked, path, amount, limits, years, accounts)
        w(2, "if req < 0:")
        w(3, "req = 0")
        # Granted before under this award: the ledger's only (each path served once).
        w(2, "before = gidx.get((_pid, path), 0) if L else 0")
        w(2, "if before:")
        w(3, "req = req - before if req > before else 0")
        w(2, "running = lowest = req")
        w(2, "year = None")
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
        for end in shared:
            w(3, f"ones.add(({''.join(f'_w{d}.id, ' for d in range(end))}))")
        w(3, "put(i)")
        w(3, "putf(running)")
        w(3, "puty(year)")
        for at, key in hoisted:
            w(1, f"if _g{at} is not _A:")
            w(2, f"used.add({key})")
        w(1, "return (paid, fens, years), used, n")
        source = "\n".join(self.lines) + "\n"
        fn: LeanFn = run_source(source, gen.ns, _LEAN_WORDS, _LEAN_LOCALS)["_serve"]
        return fn

    def _own(
        self,
        at: int,
        conditions: list[str],
        checked: list[tuple[int, int]],
        path: str,
        amount: str,
        limits: list[str],
        years: list[str | None],
        accounts: list[int],
    ) -> None:
        """A claim's own values: its conditions, one-time rules, amount, limits, years and
        accounts (``continue``: not paid)."""
        w, cp, depth = self.emit, self.cp, len(self.chain)
        if conditions:
            w(at, "try:")
            for j, c in enumerate(conditions):
                w(at + 1, f"_c{j} = {c}")
            w(at, "except _Slow:")
            w(at + 1, "return None")
            w(at, f"if not ({' and '.join(f'_c{j}' for j in range(len(conditions)))}):")
            for j, marks in enumerate(self.marks):  # refused: the first false one's
                if marks:
                    w(at + 1, f"if {''.join(f'_c{m} and ' for m in range(j))}not _c{j}:")
                    for m in marks:
                        w(at + 2, f"_g{m} = _h{m}")
            w(at + 1, "continue")
            for m in sorted({m for marks in self.marks for m in marks}):
                w(at, f"_g{m} = _h{m}")
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
        # The account each capped scope draws on, found once (its key hashed once).
        ends = [_end(self.chain, cap.per) for cap in cp.caps]
        for j in accounts:
            year = f"_y{j}" if years[j] is not None else "None"
            ids = "".join(f"_w{d}.id, " for d in range(ends[j]))
            w(at, f"ak = ({self.gen.const(cp.caps[j].pool)}, {ids}{year})")
            w(at, f"_a{j} = acc.get(ak)")
            w(at, f"if _a{j} is None:")
            w(at + 1, f"_a{j} = acc[ak] = [0, 0]")


class LeanAward:
    """The claims of one award served by its lean function: the grants it made, the
    assumptions it read, and its rows made on demand (:meth:`replay`)."""

    __slots__ = ("_args", "_fens", "_full", "_made", "_pid", "_subjects", "_years", "used")

    def __init__(
        self,
        pid: str,
        full: Any,
        args: tuple[Any, ...],
        paid: tuple[list[Any], list[int], list[int | None]],
        used: set[str],
    ) -> None:
        self._pid = pid
        self._full = full
        self._args = args  # subjects, assumptions, parameters, ledger tables
        self._subjects, self._fens, self._years = paid  # the claims paid, in served order
        self.used = used
        self._made: tuple[list[Row], list[GrantRow]] | None = None

    @property
    def paid(self) -> list[tuple[Any, int, int | None]]:
        """``(subject, fen, year)`` of each claim paid, in the order served."""
        return list(zip(self._subjects, self._fens, self._years, strict=True))

    @paid.setter
    def paid(self, rows: list[tuple[Any, int, int | None]]) -> None:
        self._subjects = [subject for subject, _, _ in rows]
        self._fens = [fen for _, fen, _ in rows]
        self._years = [year for _, _, year in rows]

    def grant_rows(self) -> list[GrantRow]:
        """The grant rows of these claims, ``(provision, path, fen, year)`` each, in the
        order served: made from the lean function's own record, without a replay (the
        rows a replay makes are the same: :meth:`replay` checks it).  Each path is the
        subject's chain of owners, ``((entity, id), ...)`` from the firm down, as the
        fused function writes it: the lean function served only subjects whose chain's
        entities are the award's."""
        if self._made is not None:
            return self._made[1]
        return list(zip(repeat(self._pid), self._paths(), self._fens, self._years, strict=True))

    def grants(self) -> list[Grant]:
        """The :class:`Grant` of each of :meth:`grant_rows`, in the same order, made field
        by field for them all (:func:`.trusted.grants`)."""
        if self._made is not None:
            rows = self._made[1]
            return grants(self._pid, [*map(_PATH, rows)], [*map(_FEN, rows)], [*map(_YEAR, rows)])
        return grants(self._pid, self._paths(), self._fens, self._years)

    def _paths(self) -> list[tuple[tuple[str, str], ...]]:
        """The path of each claim paid, from the lean function's record: each subject's
        chain of owners made once per owner (a firm's products share it)."""
        above: dict[int, tuple[tuple[str, str], ...]] = {}
        paths: list[tuple[tuple[str, str], ...]] = []
        put = paths.append
        for inst in self._subjects:
            parent = inst.parent
            if parent is None:
                put(((inst.entity, inst.id),))
                continue
            up = above.get(id(parent))
            if up is None:
                up = above[id(parent)] = _path(parent)
            put(up + ((inst.entity, inst.id),))  # noqa: RUF005 (no list made, as (*up, x) does)
        return paths

    def replay(self) -> tuple[list[Row], list[GrantRow]]:
        """The rows and grant rows the fused function gives for these claims, made once.

        The award's accounts in this evaluation held nothing before its claims were
        served (its pools are its own, and it is served once: checked before the lean
        function runs), so the fused function is run on fresh ones; the ledger's tables
        are the index's, which never change."""
        if self._made is None:
            subjects, a, p, uidx, gidx, pidx = self._args
            grants: list[GrantRow] = []
            tables: tuple[Any, ...] = (ClaimLogs(), uidx, gidx, defaultdict(int), pidx, set())
            got = self._full(subjects, a, p, *tables, grants, _never, _never)
            assert got is not None, "the fused function declined what the lean one served"
            # The same subjects (each the same entity and id: the owners' ids too are
            # compared by tests/property/test_lean_props.py, the grants read first), in the
            # same order, paid the same fen in the same years: compared by C's maps, not a
            # path made for each claim (grant_rows), which cost 4 % of the decisions made.
            paid = list(zip(self._fens, self._years, strict=True))
            same = "the fused function paid otherwise than the lean one"
            assert list(map(_FEN_YEAR, grants)) == paid, same
            assert list(map(_LAST, map(_PATH, grants))) == list(map(_WHO, self._subjects)), same
            self._made = (got[0], grants)
        return self._made


# A grant row's fen and year, path, fen, year, and its path's last (entity, id); a
# subject's (entity, id).
_FEN_YEAR, _PATH, _LAST = itemgetter(2, 3), itemgetter(1), itemgetter(-1)
_FEN, _YEAR = itemgetter(2), itemgetter(3)
_WHO = attrgetter("entity", "id")


def _path(inst: Instance | None) -> tuple[tuple[str, str], ...]:
    """``(("firm", "f1"), ("product", "P2"))``: the subject's chain from the firm down."""
    pairs = []
    while inst is not None:
        pairs.append((inst.entity, inst.id))
        inst = inst.parent
    pairs.reverse()
    return tuple(pairs)


def _tuple(names: list[str]) -> str:
    """The source of one value holding ``names``: the name alone, else their tuple."""
    return names[0] if len(names) == 1 else f"({', '.join(names)})"


def _never(*_: Any) -> Any:
    raise AssertionError("a claim the lean function served needs the general way")


def untouched(tables: tuple[Any, ...], pid: str, pools: frozenset[str]) -> bool:
    """Whether this evaluation's accounts hold nothing of award ``pid`` yet (the lean
    function leaves them so; its rows are replayed on fresh ones)."""
    by, _, _, granted, _, paid = tables
    if not (by or by.any_year or granted or paid):  # nothing yet (the first award served)
        return True
    if any(key[0] in pools for key in by) or any(ps[0] in pools for ps in by.any_year):
        return False
    return not any(key[0] == pid for key in granted) and not any(key[0] == pid for key in paid)
