"""A paid plan's facts' line, written by a function generated for the plan.

:func:`~.texts.paid_text` says the facts a paid claim read (``  facts: product.approved_on
= 2026-09-12; ...``) on every paid claim.  Said by a loop over the plan's facts, each fact
costs its owner's search up the subject's path, a tuple unpacked and a chain of type tests;
the plan's facts are the same for all its claims, so :func:`facts_said_en` writes the loop
out once per plan, as straight-line Python (as :mod:`.fused` does for a provision's
claims): each owner found once, each fact read by its constant name, its value said by
the same functions as the loop after one test that it is of the kind the rule declares (a
set by its text kept once said), and the line joined from the plan's constant leads:
measured, 8.9 k instructions a paid claim of device measure 3 against the loop's 16.5 k
(valgrind, 2,000 claims).

The Chinese facts' line (``texts_zh.paid_text_zh``) is written out so too
(:func:`facts_said_zh`), its titles and the words kept given to it by the caller: measured,
13.2 k instructions a paid claim of device measure 3 against the loop's 16.5 k (valgrind,
2,000 claims; with its sets' words kept by the set).  Where every fact shown is one
owner's (most plans), that owner is found without the chain's dict and the line joined
without a list, a yes/no's words kept as a date's: about 2 k instructions a paid claim
less.  Its titles, words kept and general way are bound once for the claims of one
:class:`~.texts_zh.PaidZh` (the generated ``_make`` returns the function as a closure over
them), not passed and unpacked at each claim: 0.6 k instructions a claim less.

The generated function says only what the loop says the same way: a value of the kind its
fact is declared (money, a date, yes/no, a set) after one test of its type; any other value
as the loop says it (:func:`value_text`).  Where the loop would hand the claim to the general
way (a fact missing, stated none, or not under the subject), it returns :data:`GENERAL`
too.  The source holds no text from a ``.rule`` or facts file: names, leads and entities
are constants of its namespace (``codegen.check_source`` refuses anything else).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from ...instances import Instance
from ...runtime.money import Money, cn_text
from ...runtime.values import DATE_TEXTS, NONE_TEXT, date_text
from .codegen import run_source
from .rows_caps import kept_set_text, rare_text

__all__ = [
    "ABSENT",
    "GENERAL",
    "FactsSaid",
    "FactsSaidZh",
    "NotSaid",
    "ShownZh",
    "facts_said_en",
    "facts_said_zh",
    "other_text",
    "value_text",
]

# A facts' line's answer where the general way must list the facts (paid_facts, facts_en);
# None: the amount's fact read nothing, the general way decides.
GENERAL = "general"
ABSENT = object()  # a fact the subject's owner does not hold

# The subject of a paid claim and the texts to look at for a character to escape (a value
# said by its text is added) -> the facts' line, GENERAL or None (see GENERAL).
FactsSaid = Callable[[Instance, list[str]], str | None]


class NotSaid(Exception):
    """A value the facts' line cannot say (a fact missing or stated none): the general way
    lists the facts."""


def other_text(value: Any, rate: bool, shown: list[str]) -> str:
    """A value of a kind the facts' line does not write directly (a set, a number, a
    text, an id...), as :func:`~.rows_caps.rare_text` says it; added to ``shown`` where it
    may hold a character to escape.  Raises :class:`NotSaid` for a fact missing or stated
    none (the general way lists the facts)."""
    if value is ABSENT:
        raise NotSaid
    text = rare_text(value, rate)
    if NONE_TEXT in text:
        raise NotSaid
    if not text.isprintable():  # (shown only to be looked at)
        shown.append(text)
    elif type(value) is frozenset and len(_SETS) < _SETS_MAX and kept_set_text(value) is text:
        _SETS[value] = text  # (the generated function says it again by a look-up)
    return text


# A set's text that holds nothing to escape and says no item stated none, by the set: the
# few sets the facts hold repeat.  Kept only where rare_text keeps that text for it too:
# sets equal but written apart ({Decimal("1.0")} and {Decimal("1.00")}) are said alike by
# both, the text of the first kept, and only while rare_text keeps it.
_SETS: dict[frozenset[Any], str] = {}
_SETS_MAX = 1024


# The words of the generated source beyond codegen's, and its own locals: _h0 (an owner),
# _H0 (its values), _v0 (a value), _t0 (its text), _n0 (a fact's name), _e0 (an entity),
# _l0 (a lead), _r0 (whether a rate).
_WORDS = frozenset(
    {"def", "while", "try", "except", "None", "_said", "inst", "shown", "entity", "parent"}
    | {"_G", "_NotSaid", "_M", "_D", "_B", "_T", "_F", "_cn", "_dt", "_ty"}
    | {"_any", "_J", "fen", "_sets", "_FS", "_dts", "get", "_KE"}
)
_LOCALS = re.compile(r"_[hHvtnelr][0-9]+\Z")


def value_text(value: Any, rate: bool, shown: list[str]) -> str:
    """A fact's value as the facts' line says it, whatever its kind (as the loop
    :func:`~.texts._facts_line` does): money, dates and yes/no written directly, any other
    by :func:`other_text`."""
    kind = type(value)
    if kind is Money:
        return cn_text(value.fen)
    if kind is dt.date:
        return date_text(value)
    if kind is bool:
        return "true" if value else "false"
    return other_text(value, rate, shown)


def facts_said_en(
    facts: tuple[tuple[str, str, str, bool, str], ...],
    want: str | None,
    kinds: tuple[str | None, ...] = (),
) -> FactsSaid | None:
    """The function that says the facts' line of a paid claim of a plan showing ``facts``
    (each: key, owner entity, name, whether a rate, the lead the line writes before it,
    :data:`~.texts.Fixed`) whose amount is the fact ``want``, as
    :func:`~.texts._facts_line` says it; ``None`` where the loop must say it (no facts, or
    the amount's fact not among them).  ``kinds``: each fact's declared type's kind
    (``Type.kind``; ``None`` or none given: not known), whose values are said with one
    test of their type first (any other value as the loop says it)."""
    if not facts or want not in {key for key, *_ in facts}:
        return None
    made = _MADE.get((facts, want, kinds))
    if made is None:
        made = _generate(facts, want, kinds)
        if len(_MADE) < _MADE_MAX:
            _MADE[(facts, want, kinds)] = made
    return made


# The functions made, by the plan's facts, amount's fact and kinds (their whole namespace:
# made once, not for every evaluation with parameters of its own).  Bounded.
_MADE: dict[tuple[Any, ...], FactsSaid] = {}
_MADE_MAX = 1024

# How a value of a declared kind is said, its type tested first (a value of another type,
# as any value: _any).  {v}: the value's local; {k}: the fact's number.
_SAID_AS: dict[str | None, str] = {
    "money": "_cn({v}.fen) if _ty({v}) is _M else _any({v}, _r{k}, shown)",
    "date": "(_dts.get({v}) or _dt({v})) if _ty({v}) is _D else _any({v}, _r{k}, shown)",
    "bool": "(_T if {v} else _F) if _ty({v}) is _B else _any({v}, _r{k}, shown)",
    "set": "(_sets.get({v}) if _ty({v}) is _FS else None) or _any({v}, _r{k}, shown)",
}


def _generate(
    facts: tuple[tuple[str, str, str, bool, str], ...],
    want: str | None,
    kinds: tuple[str | None, ...],
) -> FactsSaid:
    ns: dict[str, Any] = {
        "_G": GENERAL, "_NotSaid": NotSaid, "_A": ABSENT, "_M": Money, "_D": dt.date,
        "_B": bool, "_T": "true", "_F": "false", "_cn": cn_text, "_dt": date_text,
        "_ty": type, "_any": value_text, "_J": "".join, "_sets": _SETS, "_FS": frozenset,
        "_dts": DATE_TEXTS, "_KE": KeyError,
    }  # fmt: skip
    body: list[str] = []  # inside a try: a value said by its text may raise NotSaid
    put = body.append
    owners: dict[str, int] = {}
    parts = []
    found = ""
    for k, (key, owner, name, rate, lead) in enumerate(facts):
        h = owners.get(owner)
        if h is None:  # its owner found once, up the subject's path, as the loop finds it
            h = owners[owner] = len(owners)
            ns[f"_e{h}"] = owner
            put(f"        _h{h} = inst")
            put(f"        while _h{h} is not None and _h{h}.entity != _e{h}:")
            put(f"            _h{h} = _h{h}.parent")
            put(f"        if _h{h} is None:")
            put("            return _G")
            put(f"        _H{h} = _h{h}.values")
        ns[f"_n{k}"], ns[f"_r{k}"], ns[f"_l{k}"] = name, rate, lead
        v = f"_v{k}"
        if name == "id":
            put(f"        {v} = _h{h}.id")
        else:  # (read by its key, not by get's call: a fact missing raises, read as _A)
            put("        try:")
            put(f"            {v} = _H{h}[_n{k}]")
            put("        except _KE:")
            put(f"            {v} = _A")
        said = _SAID_AS.get(kinds[k] if kinds else None, "_any({v}, _r{k}, shown)")
        put(f"        _t{k} = " + said.format(v=v, k=k))
        parts.append(f"_l{k}, _t{k}, ")
        if key == want:
            found = v
    source = "\n".join([
        "def _said(inst, shown):",
        "    try:",
        *body,
        "    except _NotSaid:",  # the general way lists the facts
        "        return _G",
        f"    if {found} is None:",  # (as the loop: the amount read none, the general way decides)
        "        return None",
        f"    return _J(({''.join(parts)}))",
        "",
    ])  # fmt: skip
    return run_source(source, ns, _WORDS, _LOCALS)["_said"]  # type: ignore[no-any-return]


# The Chinese facts' line (texts_zh.paid_text_zh), generated as the English one is: by
# the plan's facts, each (entity, key, name, whether a rate, whether money of it is said as
# written, whether it is the amount's).  The words (titles) and the values' words kept come
# as arguments of the function made (_make), so one serves every evaluation of the plan
# under any words.
ShownZh = tuple[tuple[str, str, str, bool, bool, bool], ...]
# (titles, each fact's words kept by value, the general way of a value) -> the function:
# subject -> the line, the amount fact's value (None: not read), whether it holds nothing
# to escape
FactsSaidZh = Callable[..., Callable[[Instance], tuple[str, Any, bool]]]
# by the plan's facts and the two functions given (each baked into the function made)
_MADE_ZH: dict[tuple[Any, ...], FactsSaidZh] = {}
_WORDS_ZH = frozenset(
    {"def", "while", "if", "elif", "else", "is", "not", "None", "return", "or", "_said"}
    | {"inst", "titles", "kept", "other", "odd", "out", "put", "append", "chain", "at"}
    | {"entity", "parent", "values", "get", "id", "found", "fen", "_J", "_A", "_U"}
    | {"_M", "_D", "_B", "_FS", "_ty", "_cn", "_date", "_bool", "_E", "_make"}
    | {"try", "except", "_KE"}
)
_LOCALS_ZH = re.compile(r"_(?:[hHvtsmnkre]|ti)[0-9]+\Z")


def facts_said_zh(
    shown: ShownZh,
    unknown: Callable[[str], Any],
    date_said: Callable[..., str],
    kinds: tuple[str | None, ...] = (),
) -> FactsSaidZh:
    """The function making, for the titles of the facts, their words kept (a dict each)
    and a general way ``other`` (``make(titles, kept, other)``), the function of a paid
    claim's subject saying its Chinese facts' line, for a plan showing
    ``shown`` (in order, each run of one entity's facts together), as the loop of
    ``texts_zh.paid_text_zh`` said it: each owner found as ``Instance.chain()`` finds it (the
    outermost of an entity), a fact missing read as ``unknown(key)``, a date, yes/no and
    money said as written from its title, a set by its words kept, any other value by the
    general way given (``other(key, value, rate, kept, odd)``: its words, added to ``odd``
    where they hold a character to escape); ``date_said(title, date, kept)``: a date's
    words, kept.  ``kinds``: each fact's declared type's kind (``Type.kind``; ``None`` or
    none given: not known), whose values are tested for first.  Made once for each
    ``shown``, pair of functions and kinds (bounded), its names in its namespace."""
    key = (shown, unknown, date_said, kinds)
    made = _MADE_ZH.get(key)
    if made is None:
        made = _generate_zh(shown, unknown, date_said, kinds)
        if len(_MADE_ZH) < _MADE_MAX:
            _MADE_ZH[key] = made
    return made


def _bool_said(title: str, value: bool, kept: dict[Any, str]) -> str:
    """A yes/no fact's words after its title, kept by the value (two at most)."""
    said = kept[value] = title + ("是" if value else "否")
    return said


def _generate_zh(
    shown: ShownZh,
    unknown: Callable[[str], Any],
    date_said: Callable[..., str],
    kinds: tuple[str | None, ...],
) -> FactsSaidZh:
    ns: dict[str, Any] = {
        "_J": "；".join, "_A": ABSENT, "_U": unknown, "_M": Money, "_D": dt.date, "_B": bool,
        "_FS": frozenset, "_ty": type, "_cn": cn_text, "_date": date_said, "_bool": _bool_said,
        "_KE": KeyError,
    }  # fmt: skip
    n = len(shown)
    names = "".join(f"_ti{k}, " for k in range(n))
    memos = "".join(f"_m{k}, " for k in range(n))
    lines = ["def _said(inst):"]
    w = lines.append
    # One owner (most plans: the subject's own facts): found up the path without the
    # chain's dict, as the chain finds it (the outermost of its entity); the line's
    # words joined from the facts', none put in a list first.
    alone = len({entity for entity, *_ in shown}) == 1
    if alone:
        ns["_e0"] = shown[0][0]
        w("    _h0 = None")
        w("    at = inst")
        w("    while at is not None:")
        w("        if at.entity == _e0:")
        w("            _h0 = at")
        w("        at = at.parent")
        w("    if _h0 is None:")
        w("        return _E, None, True")
        w("    _H0 = _h0.values")
        w("    odd = []")
        ns["_E"] = ""
    else:
        lines += [
            "    chain = {}",  # Instance.chain(), inline: the outermost owner of an entity kept
            "    at = inst",
            "    while at is not None:",
            "        chain[at.entity] = at",
            "        at = at.parent",
            "    odd = []",
            "    out = []",
            "    put = out.append",
            "    found = None",
        ]
    owner: str | None = None
    h = 0 if alone else -1
    found = "None"
    pad = "    " if alone else "        "
    for k, (entity, key, name, rate, as_written, amount) in enumerate(shown):
        ns[f"_k{k}"], ns[f"_n{k}"], ns[f"_r{k}"] = key, name, rate
        if entity != owner and not alone:  # a run of the owner's facts: read only where found
            owner, h = entity, h + 1
            ns[f"_e{h}"] = entity
            w(f"    _h{h} = chain.get(_e{h})")
            w(f"    if _h{h} is not None:")
            w(f"        _H{h} = _h{h}.values")
        v, s = f"_v{k}", f"_s{k}"
        if name == "id":
            w(f"{pad}{v} = _h{h}.id")
        else:  # (read by its key, not by get's call: a fact missing raises, read as _A)
            w(f"{pad}try:")
            w(f"{pad}    {v} = _H{h}[_n{k}]")
            w(f"{pad}except _KE:")
            w(f"{pad}    {v} = _A")
        if amount:  # (any other fact missing: said by the general way below)
            w(f"{pad}if {v} is _A:")
            w(f"{pad}    {v} = _U(_k{k})")
            found = v
            if not alone:
                w(f"{pad}found = {v}")
        w(f"{pad}_t{k} = _ty({v})")
        # Each kind said directly tested for (the declared one first: most values), by
        # type: the tests exclude one another, any order says the same.
        said = {
            "date": f"_m{k}.get({v}) or _date(_ti{k}, {v}, _m{k})",
            "bool": f"_m{k}.get({v}) or _bool(_ti{k}, {v}, _m{k})",
            "set": f"_m{k}.get({v}) or other(_k{k}, {v}, _r{k}, _m{k}, odd)",
        }
        if as_written:
            said = {"money": f"_ti{k} + _cn({v}.fen)", **said}
        types = {"money": "_M", "date": "_D", "bool": "_B", "set": "_FS"}
        first = kinds[k] if kinds else None
        order = sorted(said, key=lambda kind: kind != first)
        for j, kind in enumerate(order):
            w(f"{pad}{'if' if j == 0 else 'elif'} _t{k} is {types[kind]}:")
            w(f"{pad}    {s} = {said[kind]}")
        w(f"{pad}else:")
        general = v if amount else f"_U(_k{k}) if {v} is _A else {v}"
        w(f"{pad}    {s} = other(_k{k}, {general}, _r{k}, _m{k}, odd)")
        if not alone:
            w(f"{pad}put({s})")
    if alone:
        w(f"    return _J(({''.join(f'_s{k}, ' for k in range(n))})), {found}, not odd")
    else:
        w("    return _J(out), found, not odd")
    # The function for one set of titles, words kept and general way: _make's closure,
    # each read from its cell (not passed and unpacked at each claim).
    made = ["def _make(titles, kept, other):"]
    if n:
        made += [f"    {names}= titles", f"    {memos}= kept"]
    made += ["    " + line for line in lines]
    made.append("    return _said")
    source = "\n".join(made) + "\n"
    return run_source(source, ns, _WORDS_ZH, _LOCALS_ZH)["_make"]  # type: ignore[no-any-return]
