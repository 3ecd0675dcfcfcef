"""A paid claim's whole English text, written by a function generated for its plan's caps.

The English counterpart of :mod:`.texts_zh_gen`.  :func:`~.texts.paid_text` says a paid
claim by a general loop: its tests of the row and the plan, the facts' line, the memo of
the assumptions' lines, then each cap of the row (its 9 fields unpacked, its line looked
up, its bits through :func:`~policyrules.explain_en_caps.cap_tail_put_en` and
:meth:`~policyrules.runtime.claim_texts.ClaimTexts.describe`), each line's break a piece
apart.  The caps of a plan are the same for all its claims (their number and which are
scoped), and so are the leads around the pieces: :func:`paid_said_en` writes the text out
once per shape (how many caps, each scoped or not) as straight-line Python: the row
unpacked once, each line's break joined to its constant lead, a cap's line kept with its
break by its key, the earlier claims' and the cut's bits said inline (as ``describe`` and
``cap_tail_put_en`` say them where nothing else was met at the cap), any other bits by
those functions.  It says only the text of a claim of a facts file whose ids hold nothing
to escape, whose facts' line holds nothing to escape either and whose row is of its shape;
any other returns ``None`` and the loop says it.  :func:`~.texts.paid_text` tries it first,
where the claim before had the same plan and assumptions read (their lines are given).

The source holds no text from a ``.rule`` or facts file: the lines and functions are
arguments of the generated ``_make`` (``codegen.check_source`` refuses anything else).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ...explain_order import ORDER_HOLD
from ...runtime.claim_texts import AT_MOST_EN
from ...runtime.money import cn_text
from .codegen import run_source
from .texts_gen import GENERAL

__all__ = ["PaidTextEn", "paid_said_en"]

# (the fixed pieces and functions of one provision's paid texts, see paid_said_en) -> the
# function saying a paid row's text from it and its tail's lines (None: the loop says it)
PaidTextEn = Callable[..., Callable[[tuple[Any, ...], tuple[str, Any]], str | None]]

# by the shape (each cap of the row: scoped or not); bounded
_MADE: dict[tuple[bool, ...], PaidTextEn] = {}
_MADE_MAX = 256
# A cap's line kept with its break, for one function made: bounded.
_LINES_MAX = 4096

_WORDS = frozenset(
    {"def", "if", "elif", "else", "or", "and", "not", "is", "None", "return", "len", "get"}
    | {"row", "inst", "path", "fen", "caps", "facts", "subject", "out", "shown", "tail"}
    | {"key", "parts", "got", "text", "ceiling", "more", "held", "opened", "totals", "texts"}
    | {"describe", "_make", "_text", "_nlh", "_nl", "_hd", "_pv", "_fs", "_hc", "_cp", "_tp"}
    | {"_cn", "_J", "_JL", "_SJ", "_N", "_str", "_L", "_G", "_EL", "_EX", "_OH", "_2", "_SL"}
    | {"_NL", "_XT", "_E1", "_E2", "_E3", "_E4", "_UE", "_AE", "_B1", "_B2", "_B3", "_MAX"}
    | {"kind", "append"}
)
# the row's fields not read (_x0...), each cap's fields (_c0: the cap, _s0: its scope, _y0:
# year, _l0: limit, _w0: what earlier evaluations used, _g0: its log, _t0: stop, _b0, _a0:
# before and after), its line's key and parts (_q0, _p0), the scope's entity and id (_e0,
# _i0)
_LOCALS = re.compile(r"_[xcsylwgtbaqpei][0-9]+\Z")


def paid_said_en(scoped: tuple[bool, ...]) -> PaidTextEn:
    """The function ``_make(hd, pv, fs, hc, cp, tp)`` making the function that says the
    whole English text of a paid row (``text(row, tail)``; ``tail``: the assumptions' and
    quote's lines, as :func:`~.texts._tail` makes them) whose caps are scoped as
    ``scoped`` says (each: whether its scope names an account, else a cap of one claim),
    as :func:`~.texts.paid_text` says it where no id of the facts holds a character to
    escape; ``None`` where that loop must say it (a value of the facts' line to escape,
    a row of another shape, no subject, the facts' line not said by ``fs``).  The
    arguments: ``hd``, the head and the subject's lead; ``pv``, the provision's line with
    its break and the amount's lead; ``fs``, the facts' line's function
    (:data:`~.texts_gen.FactsSaid`); ``hc``, the caps' lines kept by their key (cap,
    entity, year, limit) and ``cp``, the function making one (both :mod:`.texts`'s);
    ``tp``: :func:`~policyrules.explain_en_caps.cap_tail_put_en`.  Made once a shape
    (bounded)."""
    made = _MADE.get(scoped)
    if made is None:
        made = _generate(scoped)
        if len(_MADE) < _MADE_MAX:
            _MADE[scoped] = made
    return made


def _generate(scoped: tuple[bool, ...]) -> PaidTextEn:
    n = len(scoped)
    ns: dict[str, Any] = {
        "_cn": cn_text, "_J": "".join, "_JL": ", ".join, "_SJ": _subject, "_N": n,
        "_str": str, "_L": 3, "_G": GENERAL, "_EL": "eligible", "_EX": "exact",
        "_OH": ORDER_HOLD, "_2": 2, "_SL": "/", "_NL": "\n", "_XT": " (exact)",
        "_E1": "; before this claim: ", "_E2": "; before this claim: ", "_E3": " claims, ",
        "_E4": " in all; the last 3: ", "_UE": "(amount unknown)", "_AE": AT_MOST_EN,
        "_B1": "; BINDS: ", "_B2": " cut by ", "_B3": " to ", "_MAX": _LINES_MAX,
    }  # fmt: skip
    caps = "".join(f"_c{k}, " for k in range(n))
    lines = [
        "def _make(_hd, _pv, _fs, _hc, _cp, _tp):",
        "    _nl = {}",
        "    def _nlh(key):",  # a cap's line as texts._cap_parts says it, after its break
        "        parts = _hc.get(key) or _cp(*key)",
        "        got = (_NL + parts[0], parts[1])",
        "        if len(_nl) < _MAX:",
        "            _nl[key] = got",
        "        return got",
        "    def _text(row, tail):",
        "        _x0, inst, path, _x1, fen, _x2, caps, _x3, _x4, _x5, _x6, _x7, _x8 = row",
        # (as the loop: a paid award's exact amount, nothing granted before, not served
        # at an unknown place in its order)
        "        if _x1 != _EL or _x2 != _EX or _x3 or len(caps) != _N:",
        "            return None",
        "        if _x7 is not None and _x7.kind == _OH:",
        "            return None",
        "        shown = []",
        "        facts = _fs(inst, shown)",
        "        if facts is None or facts is _G or shown or not facts:",
        "            return None",
        "        if len(path) == _2:",  # (most) as the loop says it
        "            subject = path[0][1] + _SL + path[1][1]",
        "        else:",
        "            subject = _SJ(path)",
        "        if not subject:",
        "            return None",
        "        out = [_hd, subject, _pv, _cn(fen), _XT]",
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
            w(f"        _p{k} = _nl.get(_q{k}) or _nlh(_q{k})")
            w(f"        out += (_p{k}[0], _i{k}, _p{k}[1])")
        else:
            w(f"        if _s{k} is not None:")
            w("            return None")
            w(f"        _q{k} = (_c{k}.text, None, _y{k}, _l{k})")
            w(f"        _p{k} = _nl.get(_q{k}) or _nlh(_q{k})")
            w(f"        out.append(_p{k}[0])")
        # Only earlier claims on the account (most bits), each decided, no schedule's
        # payments among them: as ClaimTexts.describe says them (its total no bound, no
        # claim held); only the cut: as cap_tail_put_en; any other bits by the loop's way.
        w(f"        if _t{k} and _g{k} is not None and not (")
        w(f"            _w{k} or _a{k} < _b{k} or _g{k}.more or _g{k}.held or _g{k}.opened")
        w("        ):")
        w(f"            if _t{k} > _L:")
        w(f"                out += (_E2, _str(_t{k}), _E3, _cn(_g{k}.totals[_t{k}]), _E4,")
        w(f"                        _JL(_g{k}.texts(_t{k} - _L, _t{k}, _UE, _AE)))")
        w("            else:")
        w(f"                out += (_E1, _JL(_g{k}.texts(0, _t{k}, _UE, _AE)))")
        w(f"        elif _a{k} < _b{k} and not _w{k} and not _t{k}:")
        w(f"            out += (_B1, _cn(_b{k}), _B2, _cn(_b{k} - _a{k}), _B3, _cn(_a{k}))")
        w(f"        elif _w{k} or _t{k} or _a{k} < _b{k}:")
        w(f"            _tp(out, _cn(_w{k}) if _w{k} else None, _g{k}.describe(")
        w(f"                _t{k}, _L, _c{k}.ceiling) if _g{k} is not None and _t{k} else None,")
        w(f"                _b{k}, _a{k})")
    lines += [
        "        out += (_NL, facts, tail[0])",
        "        return _J(out)",
        "    return _text",
        "",
    ]
    source = "\n".join(lines)
    return run_source(source, ns, _WORDS, _LOCALS)["_make"]  # type: ignore[no-any-return]


def _subject(path: tuple[tuple[str, str], ...]) -> str:
    """A row's subject: its path's ids, apart by ``/``."""
    return "/".join([i for _, i in path])
