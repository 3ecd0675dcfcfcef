"""A paid claim's whole Chinese text, written by a function generated for its plan's caps.

:func:`~.texts_zh.paid_text_zh` says a paid claim by a general loop: the subject, the
amount, each cap of the row (its 9 fields unpacked, its line looked up, its bits tested),
the facts' line, the tail, each piece put in a list apart from its break.  The caps of a
plan are the same for all its claims (their number and which are scoped); so are the
leads around the pieces.  :func:`paid_said_zh` writes the text out once per shape (how
many caps, each scoped or not) as straight-line Python (as :mod:`.texts_gen` does the facts'
line): the row unpacked once, each cap's fields by position, each line's break joined to its
constant lead before (a text holding nothing to escape needs no break apart:
:func:`~policyrules.terminal.printable_pieces` is not called on it), a cap's line kept
with its break by its row's key, the bits said by the loop's own way only where the claim
met something at the cap.  It says only the text of a claim whose pieces hold nothing to
escape and whose row is of its shape; any other returns ``None`` and the loop says it.
:func:`~.texts_zh.paid_text_zh` tries it first, before the loop's tests, where the claim
before had the same plan, words and assumptions read (the function checks the row's
status, amount and order itself).

Measured (valgrind, the paid claims of 2,000 of the one-by-one benchmark's, each said
again): the loop 36.7 k instructions a paid claim; written out, the bits still said by the
loop's way, 36.3 k (the loop and its tests were little of it); the earlier claims' bit
inline, 34.8 k; tried before the loop's tests, the subject and the cut's bit inline, 33.1 k.
What is left is mostly work any way of saying it does: the facts' line (7.5 k), the last
three earlier claims' texts (``ClaimLog.texts``, 3.6 k), the join of some 20 pieces into
a text of 600 characters (4 k), a cap's line looked up by its 4-tuple key (0.6 k each).
Two shapes of bits it left to the loop's way are said here too (hCB; valgrind, the 2,000
claims said again, 35.4 k a claim of any kind): a claim paid nothing where a cap was spent,
its head and amount line put in by the function (the text was said paid, then cut apart and
put together again around them), 34.1 k; a cut after earlier claims on the cap, 32.9 k.

The source holds no text from a ``.rule`` or facts file: the leads, words and functions are
arguments of the generated ``_make`` (``codegen.check_source`` refuses anything else).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ...explain_order import ORDER_HOLD
from ...explain_zh_caps import BINDS_ZH, EARLIER_ZH, LAST_ZH, SUM_ZH
from ...runtime.claim_texts import AT_MOST_ZH, UNKNOWN_ZH
from ...runtime.money import cn_text
from .codegen import run_source

__all__ = ["PaidTextZh", "paid_said_zh"]

# (the fixed pieces and functions of one texts_zh.PaidZh, see paid_said_zh) -> the
# function saying a paid row's text (None: the loop says it)
PaidTextZh = Callable[..., Callable[[tuple[Any, ...]], str | None]]

# by the shape (each cap of the row: scoped or not); bounded
_MADE: dict[tuple[bool, ...], PaidTextZh] = {}
_MADE_MAX = 256

_WORDS = frozenset(
    {"def", "if", "elif", "else", "or", "and", "not", "is", "None", "return", "len", "get"}
    | {"text"}
    | {"row", "inst", "path", "fen", "caps", "facts", "value", "plain", "subject", "out"}
    | {"_make", "_text", "_hd", "_sg", "_am", "_af", "_fs", "_fl", "_tl", "_hc", "_head", "_bits"}
    | {"_cn", "_J", "_SJ", "_N", "_str", "_L", "_JL", "_UZ", "_AZ", "_E1", "_E2", "_E3"}
    | {"_E4", "more", "held", "opened", "totals", "texts", "_EL", "_EX", "_OH", "kind", "_2"}
    | {"_SL", "_C1", "_C2", "_C3", "_C4", "_sp", "sp"}
)
# the row's fields not read (_x0...), each cap's fields (_c0: the cap, _s0: its scope, _y0:
# year, _l0: limit, _w0: what earlier evaluations used, _g0: its log, _t0: stop, _b0, _a0:
# before and after), its line's key and parts (_q0, _p0), the scope's entity and id (_e0,
# _i0)
_LOCALS = re.compile(r"_[xcsylwgtbaqpei][0-9]+\Z")


def paid_said_zh(scoped: tuple[bool, ...]) -> PaidTextZh:
    """The function ``_make(hd, sg, am, af, fs, fl, tl, hc, head, bits, sp)`` making the
    function that says the whole Chinese text of a paid row (``text(row)``) whose caps are
    scoped as ``scoped`` says (each: whether its scope names an account, else a cap of one
    claim), as :func:`~.texts_zh.paid_text_zh` says it where nothing is to be escaped; ``None``
    where that loop must say it (a piece to escape, a row of another shape, no subject, a
    facts' line empty or without the amount).  The arguments: ``hd``, the head and the
    subject's lead; ``sg``, a subject said by its title (``PaidZh.singles``); ``am``,
    the amount's line up to the amount, with its break, and ``af`` after it; ``fs``, the
    facts' line's function (``PaidZh.said_facts``); ``fl``, the facts' line's lead with
    its break; ``tl``, the tail; ``head(cap, entity, year, limit)``: a cap's line up to its
    bits, with its break, around the id (``None`` for a cap of one claim); ``bits(out,
    cap, was, log, stop, before, after)``: the bits a claim met at a cap put in ``out``;
    ``sp(caps)``: for a claim paid nothing, the head with the subject's lead and the
    amount's line with its break where a cap was spent (``None``: said as any other,
    :meth:`~.texts_zh.PaidZh.spent_lead`).  Made once a shape (bounded)."""
    made = _MADE.get(scoped)
    if made is None:
        made = _generate(scoped)
        if len(_MADE) < _MADE_MAX:
            _MADE[scoped] = made
    return made


def _generate(scoped: tuple[bool, ...]) -> PaidTextZh:
    n = len(scoped)
    ns: dict[str, Any] = {
        "_cn": cn_text, "_J": "".join, "_SJ": _subject, "_N": n, "_str": str, "_L": 3,
        "_JL": "、".join, "_UZ": UNKNOWN_ZH, "_AZ": AT_MOST_ZH, "_E1": "：" + EARLIER_ZH,
        "_E2": f"：{EARLIER_ZH}共 ", "_E3": SUM_ZH + " ", "_E4": LAST_ZH, "_EL": "eligible",
        "_EX": "exact", "_OH": ORDER_HOLD, "_2": 2, "_SL": "/", "_C1": "：" + BINDS_ZH[0],
        "_C2": BINDS_ZH[1], "_C3": BINDS_ZH[2], "_C4": "；" + BINDS_ZH[0],
    }  # fmt: skip
    caps = "".join(f"_c{k}, " for k in range(n))
    lines = [
        "def _make(_hd, _sg, _am, _af, _fs, _fl, _tl, _hc, _head, _bits, _sp):",
        "    def _text(row):",
        "        _x0, inst, path, _x1, fen, _x2, caps, _x3, _x4, _x5, _x6, _x7, _x8 = row",
        # (as the loop: a paid award's exact amount, nothing granted before, not served
        # at an unknown place in its order)
        "        if _x1 != _EL or _x2 != _EX or _x3 or len(caps) != _N:",
        "            return None",
        "        if _x7 is not None and _x7.kind == _OH:",
        "            return None",
        "        facts, value, plain = _fs(inst)",
        "        if value is None or not plain or not facts:",
        "            return None",
        "        if len(path) == _2:",  # (most) as the loop says it
        "            subject = path[0][1] + _SL + path[1][1]",
        "        else:",
        "            subject = _SJ(path)",
        "        if not subject:",
        "            return None",
        # (a claim paid nothing where a cap was spent: its own head and amount line,
        # PaidZh.spent_lead)
        "        sp = _sp(caps) if fen == 0 else None",
        "        if sp is None:",
        "            out = [_hd, _sg.get(subject, subject), _am, _cn(fen), _af]",
        "        else:",
        "            out = [sp[0], _sg.get(subject, subject), sp[1]]",
    ]
    w = lines.append
    if n:
        w(f"        {caps}= caps")
    for k, scope in enumerate(scoped):
        w(f"        _c{k}, _s{k}, _y{k}, _l{k}, _w{k}, _g{k}, _t{k}, _b{k}, _a{k} = _c{k}")
        if scope:
            w(f"        if _s{k} is None:")
            w("            return None")
            w(f"        _e{k}, _i{k} = _s{k}[-1]")  # (the scope's last owner)
            w(f"        _q{k} = (_c{k}.text, _e{k}, _y{k}, _l{k})")
            w(f"        _p{k} = _hc.get(_q{k}) or _head(_q{k})")
            w(f"        out += (_p{k}[0], _i{k}, _p{k}[1])")
        else:
            w(f"        if _s{k} is not None:")
            w("            return None")
            w(f"        _q{k} = (_c{k}.text, None, _y{k}, _l{k})")
            w(f"        _p{k} = _hc.get(_q{k}) or _head(_q{k})")
            w(f"        out += (_p{k}[0], _p{k}[1])")
        # Earlier claims on the account (most bits), each decided, no schedule's
        # payments among them, and the cut after them if any: their bits said here (as
        # cap_bits_put_zh says them), the last three's texts by the log (ClaimLog.texts);
        # any other bits by the loop's way (as it: the earlier claims counted only where
        # the cap keeps a log).
        w(f"        if _t{k} and _g{k} is not None and not (")
        w(f"            _w{k} or _g{k}.more or _g{k}.held or _g{k}.opened")
        w("        ):")
        w(f"            if _t{k} > _L:")
        w(f"                out += (_E2, _str(_t{k}), _E3, _cn(_g{k}.totals[_t{k}]), _E4,")
        w(f"                        _JL(_g{k}.texts(_t{k} - _L, _t{k}, _UZ, _AZ)))")
        w("            else:")
        w(f"                out += (_E1, _JL(_g{k}.texts(0, _t{k}, _UZ, _AZ)))")
        # and the cut after them (a claim past the limit left by the earlier ones)
        w(f"            if _a{k} < _b{k}:")
        w(f"                out += (_C4, _cn(_b{k}), _C2, _cn(_b{k} - _a{k}), _C3, _cn(_a{k}))")
        # Only the cut (a claim above the cap's limit, nothing else met): as the loop.
        w(f"        elif _a{k} < _b{k} and not _w{k} and not (_t{k} and _g{k} is not None):")
        w(f"            out += (_C1, _cn(_b{k}), _C2, _cn(_b{k} - _a{k}), _C3, _cn(_a{k}))")
        w(f"        elif _w{k} or (_t{k} and _g{k} is not None) or _a{k} < _b{k}:")
        w(f"            _bits(out, _c{k}, _w{k}, _g{k}, _t{k}, _b{k}, _a{k})")
    lines += ["        out += (_fl, facts, _tl)", "        return _J(out)", "    return _text", ""]
    source = "\n".join(lines)
    return run_source(source, ns, _WORDS, _LOCALS)["_make"]  # type: ignore[no-any-return]


def _subject(path: tuple[tuple[str, str], ...]) -> str:
    """A row's subject: its path's ids, apart by ``/``."""
    if len(path) == 2:
        return path[0][1] + "/" + path[1][1]
    return "/".join([i for _, i in path])
