"""One generated function per award serving all its claims: the fast path's loop, fused.

For an award whose every expression has generated code (:mod:`.codegen`) and whose claims
share no pool with another provision's, :func:`fused_award` writes ONE Python function
that does what :meth:`~policyrules.backends.python.fastpath.FastClaims.serve_fast` and
``fast_award`` do claim by claim, on plain locals: the `order by` keys and the path's ids
kept as columns and the claims ordered once by their ranks (:mod:`.lean_order`: the order
of their flat sort keys, which are made only where a claim was keyed the general way, or
for a trace: :class:`ServedKeys`), then, in that order, the conditions, the
one-time rules, the amount and the caps in integer fen against the accounts' own tables
(:meth:`~policyrules.runtime.ledger.Accounts.tables`), each decision kept as the same
compact :data:`~policyrules.backends.python.rows.Row` the fast path keeps (with
explanations, the natural-order steps are added from its sort keys afterwards, and the rows
are explained on demand as the fast path's are).  A claim it
cannot decide so (a fact or parameter not given, a value the generated code leaves to
the closures) is handed, before it changes any account, to the fast path's own
``serve_one`` (which falls back to the general way): the results are the same, claim for
claim, fen for fen.

The test of what it takes is strict (:func:`fused_award`): a provision is fused only when
every field of the checked policy, its clauses and its provisions that this module does not
know is at its default and every statement of every provision is one it knows; anything
else (a construct added later) leaves the award to the fast path and the general way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import attrs

from ... import syntax as s
from ...model import CheckedPolicy, ClauseInfo
from ...runtime.ledger import ClaimLog
from ...runtime.order import natural_key
from ...runtime.values import year_number
from ...typing_rules import Usage
from .codegen import Slow, _conjuncts, _Gen, _Unsupported, refused_assumed, run_source
from .fused_keys import Masks, ServedKeys
from .lean_order import distinct_paths, served_order

__all__ = ["FusedFn", "fused_award"]

# (subjects, assumptions, parameters, the accounts' tables (see Accounts.tables), the
# grants list, the key of a claim the generated code cannot key, the serving of a claim it
# cannot serve) -> the rows and decisions in serving order and the claims' sort keys
# (ServedKeys), or None (an unexpected shape: serve the claims the fast path's way).
FusedFn = Callable[..., Any]

_NONE: frozenset[str] = frozenset()

# What the fused test knows.  A field not listed here must be at its default.
_POLICY_FIELDS = frozenset(
    {"documents", "entities", "enums", "parameters", "assumptions", "clauses", "defines"}
    | {"sources", "modules", "tables"}
    # warnings change nothing; exclusivity's awards are declined one by one (fused_award)
    | {"warnings", "exclusivity"}
)
_CLAUSE_FIELDS = frozenset(
    {"id", "document", "label", "title", "chapter", "quote", "notes", "parameters"}
    | {"assumptions", "provisions", "path", "span", "node", "agencies", "twins"}
)
_PROVISION_FIELDS = frozenset(
    {"id", "kind", "name", "title", "document", "clause", "subject", "quote", "notes"}
    | {"eligible", "amount", "decided", "caps", "once", "order", "due", "done", "require"}
    | {"consequence", "facts", "parameters", "assumptions", "node", "range", "minimum"}
    | {"rounding", "encouraged"}
)
# Statements any provision of the policy may hold; those of a fused award (the rest make
# fast_provision refuse it, or are not an award's).
_STATEMENTS = (
    s.Quote,
    s.Note,
    s.Subject,
    s.Eligible,
    s.Amount,
    s.AmountDecided,
    s.AmountRange,
    s.AmountMinimum,
    s.Rounding,
    s.Cap,
    s.Once,
    s.OrderBy,
    s.Due,
    s.Done,
    s.Require,
    s.Consequence,
    s.Encouraged,
    s.Tiers,
    s.Quota,
    s.Limit,
)
_FUSED_STATEMENTS: tuple[type[s.Stmt], ...] = (s.Quote, s.Note, s.Subject, s.Eligible)
_FUSED_STATEMENTS += (s.Amount, s.AmountDecided, s.Cap, s.Once, s.OrderBy)

# The words of the fused source beyond those of codegen (see check_source).
_WORDS = frozenset(
    {"for", "try", "except", "continue", "None", "is", "len", "set", "return"}
    | {"insts", "pend", "add", "rows", "put", "sort", "copy", "append", "parent", "entity"}
    | {"certain", "possible", "subjects", "fen", "n", "path", "ku", "env", "key", "e"}
    | {"by", "uidx", "gidx", "gnow", "pidx", "pnow", "grants", "keyslow", "slow", "new"}
    | {"req", "before", "running", "lowest", "room", "after", "amount", "exact", "year"}
    | {"sub", "gk", "_serve", "_V", "_nt", "_Slow", "_yn", "_CP", "_EL", "_NE", "_EX", "_UP"}
    | {"_NO", "_SL", "_pid", "_E", "else", "subjects", "amounts", "totals"}
    | {"held", "_HW", "now", "odd", "keys", "order", "sorted", "_order", "_SK"}
    | {"general", "_distinct", "_UM", "of", "_U"}
)
# Its own locals: _c0 (a condition), _l0 (a limit), _a0 (an account), _u0 (the ledger's
# part), _r0 (a cap row), _y0 (a year), _w0 (an owner), _x0 (an `order by` key), _t0 (an
# account's running totals); the columns: _q0 (a level's ids), _z0 (an `order by` key),
# _m0 (what the served order reads of a claim); an owner's pair in the path, _p0, made when
# the owner _o0 changes.
_LOCALS = re.compile(r"_[claurtywxqzmop][0-9]+\Z")


def _known(obj: Any, fields: frozenset[str]) -> bool:
    """Every attrs field of ``obj`` not in ``fields`` holds its default."""
    for f in attrs.fields(type(obj)):
        if f.name in fields:
            continue
        default = f.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if default is attrs.NOTHING or getattr(obj, f.name) != default:
            return False
    return True


def policy_known(policy: CheckedPolicy) -> bool:
    """Whether the policy holds only what the fused test knows (see the module's docstring)."""
    if not _known(policy, _POLICY_FIELDS):
        return False
    return all(_clause_known(clause) for clause in policy.clauses)


def _clause_known(clause: ClauseInfo) -> bool:
    if not _known(clause, _CLAUSE_FIELDS):
        return False
    for p in clause.provisions:
        if not _known(p, _PROVISION_FIELDS):
            return False
        if not all(type(x) in _STATEMENTS for x in p.node.body):
            return False
    return True


def fused_award(cp: Any, policy: CheckedPolicy) -> FusedFn | None:
    """The fused function of award ``cp`` (a ``CompiledProvision``: .compile calls this
    module, so it is not imported here), or ``None`` when it is not an award of the kind
    fused (the caller also checks :func:`policy_known`)."""
    p = cp.info
    if p.kind != "award" or p.subject is None or p.bounded or cp.bounds is not None:
        return None
    if not all(type(x) in _FUSED_STATEMENTS for x in p.node.body):
        return None
    if any(cap.exceptions for cap in p.caps) or (p.amount is None and p.decided is None):
        return None
    if p.id in policy.exclusivity.bound() or policy.exclusivity.superseded(p.document, p.clause):
        return None  # 不重复支持 / 以此为准: a claim's fate depends on other claims (.exclusive)
    doc = next((d for d in policy.documents if d.name == p.document), None)
    gen = _MaskGen(policy, p.subject, doc)
    try:
        return _Fuse(gen, cp, policy).build()
    except _Unsupported:
        return None


class _MaskGen(_Gen):
    """Writes a fused function's expressions: an assumption read sets its bit in the claim's
    mask ``used`` (:class:`~.fused_keys.Masks`) where :class:`~.codegen._Gen` adds its name
    to the claim's set."""

    def __init__(self, policy: CheckedPolicy, scope: str, doc: Any) -> None:
        super().__init__(policy, scope, doc)
        self.masks = Masks()

    def assumption(self, name: str) -> str:
        key, bit = self.const(name), self.const(self.masks.bit(name))
        return f"(A[{key}] if (used := used | {bit}) else None)"  # (never 0: always A[key])


class _Fuse:
    """Writes the fused function of one award (see :func:`fused_award`)."""

    def __init__(self, gen: _Gen, cp: Any, policy: CheckedPolicy) -> None:
        self.gen = gen
        self.cp = cp
        # the subject's owners, outermost first: the path's entities
        self.chain = [e.name for e in reversed(policy.chain(cp.info.subject))]
        self.lines: list[str] = []

    def emit(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)

    def build(self) -> FusedFn:
        p, cp, gen = self.cp.info, self.cp, self.gen
        k = gen.const
        depth = len(self.chain)
        gen.values = "_V"  # the subject's facts read from a local, by subscript
        assert isinstance(gen, _MaskGen), "the fused function reads its assumptions as masks"
        masks = gen.masks
        conjuncts = [part for line in p.eligible for part in _conjuncts(line.condition)]
        conditions = [gen.expr(part) for part in conjuncts]
        refused = refused_assumed(gen, conjuncts, lambda names: k(masks.of(names)))
        if p.amount is not None:
            amount = gen.expr(p.amount.expr)
        else:
            assert p.decided is not None
            amount = gen.expr(s.Name((p.decided.fact,)))
        limits = [self._fen(cap.limit) for cap in p.caps]
        years = [self._year(c.year_of) if c.year_of is not None else None for c in p.caps]
        order = [self._key(x) for x in p.order]
        gen.ns.update({"_Slow": (Slow, KeyError), "_yn": year_number, "_nt": natural_key})
        gen.ns.update({"_CP": cp, "_NO": _NONE, "_E": ClaimLog()})
        gen.ns.update({"_EL": "eligible", "_NE": "not_eligible", "_EX": "exact", "_UP": "up_to"})
        gen.ns.update({"_SL": "/", "_pid": p.id, "_HW": "amount"})
        gen.ns.update({"_order": served_order, "_SK": ServedKeys, "_distinct": distinct_paths})
        # the claims' assumptions as masks, a row's as the frozen set of its mask (.fused_keys)
        assert isinstance(gen, _MaskGen), "the fused function reads its assumptions as masks"
        gen.ns["_UM"] = gen.masks
        # Where each cap's scope and each one-time rule's scope ends in the path.
        ends = [_end(self.chain, cap.per) for cap in p.caps]
        once = [(n, _end(self.chain, (o.entity,))) for n, o in enumerate(p.once)]
        checked = [(n, end) for n, end in once if p.once[n].entity in self.chain]
        w = self.emit
        # A cap counted per subject (its scope the whole path) has an account only this
        # claim draws on, when no two claims share a path: no log is kept for it (_E).
        own = [j for j, cap in enumerate(cp.caps) if cap.per and ends[j] == depth]
        w(0, "def _serve(insts, A, P, by, uidx, gidx, gnow, pidx, pnow, grants, keyslow, slow):")
        # A claim's own parts of the sort key, kept as columns (one item per claim, in facts
        # order) and ordered once as ints (.lean_order), no tuple made or compared per claim:
        # _q0 (a level's ids), _z0 (an `order by` key), _m0/_m1/_m2 (the claim, its path,
        # the assumptions its key read, a mask); odd: the claims keyed the general way, by
        # position.
        w(1, "odd = {}")
        for d in range(depth):
            w(1, f"_q{d} = []")
        for j, x in enumerate(order):
            if x != "_nt(i.id)":
                w(1, f"_z{j} = []")
        for m in range(3):
            w(1, f"_m{m} = []")
        w(1, "n = 0")
        for d in range(depth - 1):
            w(1, f"_o{d} = None")
        w(1, "for i in insts:")
        w(2, "n += 1")
        # The owners from the subject up: _w{depth-1} is the subject, _w0 the outermost.
        w(2, f"_w{depth - 1} = i")
        for d in range(depth - 2, -1, -1):
            w(2, f"_w{d} = _w{d + 1}.parent")
            w(2, f"if _w{d} is None:")
            w(3, "return None")
        w(2, "if _w0.parent is not None:")
        w(3, "return None")
        # Owners of the entities the schema declares (the scopes' ends are counted so).
        entities = " or ".join(f"_w{d}.entity != {k(e)}" for d, e in enumerate(self.chain))
        w(2, f"if {entities}:")
        w(3, "return None")
        # An owner's (entity, id) made once for the run of its claims (the facts list an
        # owner's claims together), shared by their paths; the subject's, a claim's own.
        for d in range(depth - 1):
            w(2, f"if _w{d} is not _o{d}:")
            w(3, f"_o{d} = _w{d}")
            w(3, f"_p{d} = (_w{d}.entity, _w{d}.id)")
        ids = "".join(f"_p{d}, " for d in range(depth - 1))
        w(2, f"path = ({ids}(_w{depth - 1}.entity, _w{depth - 1}.id), )")
        for d in range(depth):
            w(2, f"_q{d}.append(_w{d}.id)")
        w(2, "used = 0")
        w(2, "_V = i.values")
        w(2, "_m0.append(i)")
        w(2, "_m1.append(path)")
        computed = [j for j, x in enumerate(order) if x != "_nt(i.id)"]
        if computed:
            w(2, "try:")
            for j in computed:
                w(3, f"_x{j} = {order[j]}")
            w(2, "except _Slow:")
            w(3, "odd[n - 1] = keyslow(i, path, n)")
            for j in computed:
                w(3, f"_x{j} = None")
            for j in computed:
                w(2, f"_z{j}.append(_x{j})")
        w(2, "_m2.append(used)")  # (once the keys are read)
        # The `order by` keys (the subject's own id: its level's ids), then each level's
        # ids (less the subject's when it is already a key: equal there, equal here).
        parts = "".join(
            f"(_q{depth - 1}, 1), " if x == "_nt(i.id)" else f"(_z{j}, 0), "
            for j, x in enumerate(order)
        )
        levels = [f"(_q{d}, 1), " for d in range(depth)]
        if "_nt(i.id)" in order:
            levels.pop()
        columns = "".join(f"_q{d}, " for d in range(depth))
        w(1, "order = None")
        w(1, "if n > 1 and not odd:")
        # one path a claim where a cap is the subject's own: the order tells, from the
        # ranks it folds (None: not told), else the paths are looked at (checked once all
        # are met: no side effect till then)
        paths = f", ({columns})" if own else ""
        w(2, f"order = _order(({parts}{''.join(levels)}), None{paths})")
        if own:
            w(1, f"if order is None and n > 1 and not _distinct(({columns}), n):")
            w(2, "return None")
        w(1, f"keys = _SK(({parts}), ({columns}), _m0, _m1, _m2, odd, _UM)")
        w(1, "if order is None:")
        w(2, "order = keys.sorted(n)")
        w(1, "keys.order = order")
        w(1, "rows = []")
        w(1, "put = rows.append")
        w(1, "for e in order:")
        w(2, "i = _m0[e]")
        w(2, "path = _m1[e]")
        w(2, "used = _m2[e]")
        w(2, "if odd and e in odd:")
        w(3, "used, env = keys.general(e)")
        w(3, "if env is not None:")
        w(4, "put(slow(i, path, used, env))")
        w(4, "continue")
        w(3, "used = _UM.of(used)")  # (the general way's set, as a mask)
        w(2, "_V = i.values")
        if conditions:  # every one computed (each may read assumptions), as the general way
            if refused is not None:
                w(2, "_U = used")
            w(2, "try:")
            for j, c in enumerate(conditions):
                w(3, f"_c{j} = {c}")
            w(2, "except _Slow:")
            w(3, "put(slow(i, path, None, None))")
            w(3, "continue")
            w(2, f"if not ({' and '.join(f'_c{j}' for j in range(len(conditions)))}):")
            if refused is not None:  # the first false condition's assumptions only
                w(3, f"used = _U | ({refused})")
            w(3, "put((_CP, i, path, _NE, None, None, (), 0, 0, _NO, -1, None, _UM[used]))")
            w(3, "continue")
        w(2, "gk = (_pid, path)")
        for n, end in checked:
            w(2, "key = gk" if end == depth else f"key = (_pid, path[:{end}])")
            w(2, "if key in pnow or (pidx and key in pidx):")  # (no ledger: no hash)
            w(3, f"put((_CP, i, path, _NE, None, None, (), 0, 0, _NO, {k(n)}, None, _UM[used]))")
            w(3, "continue")
        w(2, "try:")
        w(3, f"req = ({amount}).fen")
        for j, lim in enumerate(limits):
            w(3, f"_l{j} = {lim}")
        for j, y in enumerate(years):
            if y is not None and cp.caps[j].per:
                w(3, f"_y{j} = {y}")
        w(2, "except _Slow:")
        w(3, "put(slow(i, path, None, None))")
        w(3, "continue")
        w(2, "if req < 0:")
        w(3, "req = 0")
        w(2, "now = gnow.get(gk, 0)")  # (written back below: one look-up, not two)
        w(2, "before = gidx.get(gk, 0) + now if gidx else now")
        w(2, "if before:")
        w(3, "req = req - before if req > before else 0")
        w(2, "running = lowest = req")
        w(2, "year = None")
        accounts: list[int] = []
        for j, cap in enumerate(cp.caps):
            if not cap.per:
                w(2, f"room = _l{j} - before if _l{j} > before else 0")
                w(2, "after = running if running < room else room")
                w(2, f"_r{j} = ({k(cap)}, None, None, _l{j}, before, None, 0, running, after)")
                w(2, "running = after")
                w(2, "if room < lowest:")
                w(3, "lowest = room")
                continue
            end = ends[j]
            scope = "path" if end == depth else f"path[:{end}]"
            year = "None"
            if years[j] is not None:
                year = f"_y{j}"
                w(2, f"year = _y{j}")
            if j in own:  # no earlier claim of this evaluation: nothing taken, none pending
                w(2, f"_u{j} = uidx.get(({k(cap.pool)}, {scope}, {year}), 0) if uidx else 0")
                w(2, f"room = _l{j} - _u{j}")
                w(2, "after = running if running < room else (room if room > 0 else 0)")
                w(2, f"_r{j} = ({k(cap)}, path, {year}, _l{j}, _u{j}, _E, 0, running, after)")
                w(2, "running = after")
            else:
                accounts.append(j)
                w(2, f"key = ({k(cap.pool)}, {scope}, {year})")
                w(2, f"_u{j} = uidx.get(key, 0) if uidx else 0")
                w(2, f"_a{j} = by.get(key)")
                w(2, f"if _a{j} is None:")  # ClaimLogs.new: a claim of unknown year in it
                w(3, f"_a{j} = by.new(key)")
                w(2, f"room = _l{j} - _u{j} - _a{j}.certain")
                w(2, "after = running if running < room else (room if room > 0 else 0)")
                w(
                    2,
                    f"_r{j} = ({k(cap)}, key[1], {year}, _l{j}, _u{j}, _a{j}, "
                    f"len(_a{j}.subjects), running, after)",
                )
                w(2, "running = after")
                w(2, f"room -= _a{j}.possible")
            w(2, "if room < lowest:")
            w(3, "lowest = room if room > 0 else 0")
        w(2, "amount = running")
        w(2, "exact = lowest == amount")
        if accounts:
            sub = " + _SL + ".join(f"path[{d}][1]" for d in range(depth))
            w(2, f"sub = {sub}")
            for m, j in enumerate(accounts):
                # each account once, as the general way (two caps may share one)
                earlier = [f"_a{j} is not _a{o}" for o in accounts[:m]]
                at = 2
                if earlier:
                    w(2, f"if {' and '.join(earlier)}:")
                    at = 3
                # ClaimLog.append, inlined
                w(at, f"_a{j}.subjects.append(sub)")
                w(at, f"_a{j}.amounts.append(amount)")
                w(at, f"_t{j} = _a{j}.totals")
                w(at, f"_t{j}.append(_t{j}[-1] + amount)")
                w(at, "if exact:")
                w(at + 1, f"_a{j}.certain += amount")
                w(at, "else:")
                w(at + 1, f"_a{j}.possible += amount")
                w(at + 1, "if amount:")
                # who holds, for a later claim's explanation (runtime/holds.py)
                w(at + 2, f"_a{j}.held.append((len(_a{j}.amounts) - 1, _pid, _HW))")
        w(2, "if exact and amount:")
        # 0.00 元 is not a payment: no grant, and a one-time award stays open.
        for _, end in once:
            w(3, "pnow.add(gk)" if end == depth else f"pnow.add((_pid, path[:{end}]))")
        w(3, "grants.append((_pid, path, amount, year))")
        w(3, "gnow[gk] = now + amount")
        caps = "".join(f"_r{j}, " for j in range(len(cp.caps)))
        w(
            2,
            f"put((_CP, i, path, _EL, amount, _EX if exact else _UP, ({caps}), before, req, "
            "_NO, -1, None, _UM[used]))",
        )
        w(1, "return rows, keys")
        source = "\n".join(self.lines) + "\n"
        fn: FusedFn = run_source(source, gen.ns, _WORDS, _LOCALS)["_serve"]
        return fn

    def _key(self, e: s.Expr) -> str:
        """An `order by` key as claim_key orders it: text in natural order."""
        if self.gen.typer.type_of(e, Usage()).kind in ("date", "money", "number", "year"):
            return self.gen.expr(e)  # not text: _nk would return it as it is
        code = self.gen.expr(e)
        if code == "i.id":  # the subject's id, always text: its natural key at once
            return "_nt(i.id)"
        return f"_nk({code})"

    def _year(self, e: s.Expr) -> str:
        """A cap's year: a date's ``.year`` at once (``year_number`` of a date)."""
        if self.gen.typer.type_of(e, Usage()).kind == "date":
            return f"({self.gen.expr(e)}).year"
        return f"_yn({self.gen.expr(e)})"

    def _fen(self, e: s.Expr) -> str:
        """A cap's limit in fen: a constant for a money literal."""
        if isinstance(e, s.MoneyLit):
            return self.gen.const(self.gen.ns[self.gen.expr(e)].fen)
        return f"({self.gen.expr(e)}).fen"


def _end(chain: list[str], per: tuple[str, ...]) -> int:
    """Where a scope ``per`` ends in a path of the entities ``chain``: the length of
    ``claims.scope_of`` of such a path (.claims reads .compile, which calls this module;
    a test holds the two equal)."""
    return max((n for n, entity in enumerate(chain) if entity in per), default=0) + 1
