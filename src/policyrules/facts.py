"""Facts files: check data read from YAML or JSON against the policy, derive the schema.

Files are read by :mod:`policyrules.reading` (its docstring states the reading rule and the
bounds); each value is converted by :mod:`policyrules.convert` as its fact is declared.
Every error names the path inside the file, and the line when the file's text is known:

``firms[0].products[2].approved_on: not a date: "2025-13-01"``
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from itertools import repeat
from pathlib import Path
from typing import Any

import attrs

from .bounds import Refused
from .bounds_items import check_items, may_exceed
from .columns import Doubt, Shape, Tally, read_columns
from .convert import ValueRefused, convert_value, kind_of
from .convert_schema import ID_SCHEMA, type_schema
from .converters import columnar, converter, id_converter, keeps
from .errors import Diagnostic, FactsError, Span, did_you_mean, excerpt, quoted
from .instances import Facts, Instance
from .ledger_keys import grant_keys
from .model import CheckedPolicy, EntityInfo
from .positions import at_key
from .reading import (
    Limits,
    Places,
    decode_json_unchecked,
    json_pairs,
    load_data,
    locate,
    read_bytes,
    read_data,
    read_text,
)
from .runtime.calendar import HOLIDAY_ASSUMPTION, Unpublished
from .runtime.values import Value
from .types import MONEY

__all__ = [
    "Facts",
    "Instance",
    "convert_value",
    "load_data",
    "locate",
    "read_data",
    "read_facts",
    "read_facts_file",
    "read_facts_source",
    "schema",
]

_TOP_KEYS = ("as_of", "ledger", "parameters", "assumptions")


# ---- checking ------------------------------------------------------------------------------


class _Reader:
    def __init__(self, policy: CheckedPolicy, file: str, text: str | None) -> None:
        self.policy = policy
        self.file = file
        self.places = Places(text)
        self.diags: list[Diagnostic] = []
        self.refused_ids: set[int] = set()  # id() of instances whose id is missing or refused
        self._shapes: dict[str, Shape] = {}

    def shape(self, ent: EntityInfo) -> Shape:
        """The child entities of ``ent`` (by key), a converter for each of its facts that is
        read as a fact (by name: not ``id``, not a child's key), for some a test of whether
        a column is kept as it is, the names known in it (for suggestions), the keys
        allowed in it and for some a reader of a whole column; worked out once per entity."""
        if ent.name not in self._shapes:
            children = {c.key: c for c in self.policy.entities if c.parent == ent.name}
            facts = {
                f.name: converter(f.type, self.policy)
                for f in ent.facts
                if f.name != "id" and f.name not in children
            }
            tests = {
                f.name: test
                for f in ent.facts
                if f.name in facts and (test := keeps(f.type, self.policy)) is not None
            }
            known = [*(f.name for f in ent.facts), *children]
            whole = {
                f.name: reader
                for f in ent.facts
                if f.name in facts and (reader := columnar(f.type, self.policy)) is not None
            }
            allowed = frozenset([*known, "id"])
            self._shapes[ent.name] = (children, facts, tests, known, allowed, whole)
        return self._shapes[ent.name]

    def error(
        self,
        path: str,
        message: str,
        hint: str | None = None,
        code: str | None = None,
        shown: str | None = None,
    ) -> None:
        """Report at ``path``; an unknown key is shown at the key, a bad value at the value.
        ``shown``: the path as the message names it, when it ends in a key of the input
        (cut if long: :func:`~policyrules.errors.excerpt`)."""
        key = self.places.get(f"{path}#key") if at_key(message) else None
        at = "" if path == "(top)" else path  # locate() names the whole document ""
        where = key or self.places.get(at) or self.places.get(at.rsplit(".", 1)[0])
        span = Span(self.file, where[0], where[1], where[0], where[2]) if where else None
        named = path if shown is None else shown
        self.diags.append(Diagnostic(code or "E303", f"{named}: {message}", span, hint=hint))

    def top(self, data: Any) -> Facts:
        if data is None:  # an empty YAML file (or only comments, or `null`): an export that
            self.error(  # failed, not a firm with nothing to say (as an empty ledger, E320)
                "(top)",
                "the facts file is empty (nothing, only comments, or null)",
                "write the firms to evaluate under `firms:`; `{}` evaluates nothing, on purpose",
            )
            return Facts({})
        if not isinstance(data, dict):
            self.error(
                "(top)",
                f"a facts file is a mapping, not {kind_of(data)}",
                "start with e.g. `firms:`",
            )
            return Facts({})
        roots = [e for e in self.policy.entities if e.parent is None]
        allowed = {e.key: e for e in roots}
        for key in data:
            if key not in allowed and key not in _TOP_KEYS:
                self.error(
                    str(key),
                    "unknown key",
                    shown=excerpt(str(key)),
                    hint=did_you_mean(str(key), [*allowed, *_TOP_KEYS])
                    or f"known keys: {', '.join([*allowed, *_TOP_KEYS])}",
                )
        instances: dict[str, list[Instance]] = {e.name: [] for e in self.policy.entities}
        for key, ent in allowed.items():
            if key in data:
                self.entity_block(ent, data[key], key, None, instances)
        extra = {k: data[k] for k in _TOP_KEYS if k in data}
        read = {k: tuple(v) for k, v in instances.items()}
        return Facts(read, extra, read_ids=read)

    def entity_block(
        self,
        ent: EntityInfo,
        raw: Any,
        path: str,
        parent: Instance | None,
        out: dict[str, list[Instance]],
    ) -> None:
        if ent.single:
            self.instance(ent, raw, path, parent, out)
            return
        if not isinstance(raw, list):
            self.error(
                path,
                f"a list of {ent.name} is expected, not {kind_of(raw)}",
                f"write a list, one mapping per {ent.name}: `[{{id: ...}}]`",
            )
            return
        ids: dict[str, int] = {}
        for i, item in enumerate(raw):
            inst = self.instance(ent, item, f"{path}[{i}]", parent, out)
            if inst is not None and id(inst) not in self.refused_ids:
                if inst.id in ids:
                    self.error(
                        f"{path}[{i}].id",
                        f"the id {quoted(inst.id)} is used twice",
                        f"give each {ent.name} an id of its own ({path}[{ids[inst.id]}] has it)",
                    )
                ids.setdefault(inst.id, i)

    def instance(
        self,
        ent: EntityInfo,
        raw: Any,
        path: str,
        parent: Instance | None,
        out: dict[str, list[Instance]],
    ) -> Instance | None:
        if not isinstance(raw, dict):
            self.error(
                path,
                f"a mapping of facts is expected, not {kind_of(raw)}",
                f"write each {ent.name} as its facts: `{{id: ..., ...}}`",
            )
            return None
        children, facts, _, known, _, _ = self.shape(ent)
        values: dict[str, Value] = {}
        raw_id = raw.get("id", ent.name if ent.single else None)
        ident, refused = "?", False
        if raw_id is None:
            self.error(path, "missing `id`", f"give each {ent.name} an id: `id: ...`")
            refused = True
        else:
            try:
                ident = id_converter(raw_id)
            except ValueRefused as exc:
                self.error(f"{path}.id", str(exc), exc.hint, exc.code)
                refused = True
        for key, value in raw.items():
            read = facts.get(key)
            if read is None:
                if not isinstance(key, str):  # `null:`, `1:`, `true:` in YAML
                    self.error(
                        path,
                        "a fact's name is text, not " + ("null" if key is None else kind_of(key)),
                        "write the fact's name as declared: `approved_on: 2026-01-05`",
                    )
                elif key != "id" and key not in children:
                    self.error(
                        f"{path}.{key}",
                        f"unknown fact of {ent.name}",
                        did_you_mean(str(key), known)
                        or f"the facts of {ent.name}: {', '.join(sorted(known))}",
                        shown=f"{path}.{excerpt(key)}",
                    )
            elif value is not None:  # None: written but empty, unknown like a missing fact
                try:
                    values[key] = read(value)
                except ValueRefused as exc:
                    self.error(f"{path}.{key}", str(exc), exc.hint, exc.code)
        inst = Instance(ent.name, ident, values, parent, path)
        if refused:
            self.refused_ids.add(id(inst))  # not "used twice": refused already
        out[ent.name].append(inst)
        for key, child in children.items():
            if key in raw:
                self.entity_block(child, raw[key], f"{path}.{key}", inst, out)
        return inst


def read_facts(
    policy: CheckedPolicy, data: Any, file: str = "<facts>", text: str | None = None
) -> Facts:
    """Check raw facts (as loaded from YAML/JSON) against the policy; with the file's
    ``text``, errors point at the line and column."""
    reader = _Reader(policy, file, text)
    if type(data) is dict:
        try:
            return read_columns(policy, data, reader.shape, _TOP_KEYS)
        except (Doubt, ValueRefused):
            pass
    facts = reader.top(data)
    if reader.diags:
        diags = [
            d if d.span else attrs.evolve(d, message=f"{file}: {d.message}") for d in reader.diags
        ]
        raise FactsError(diags, sources={file: text} if text is not None else None)
    return facts


def read_facts_file(
    policy: CheckedPolicy,
    path: str | Path,
    limits: Limits | None = None,
    *,
    raw: bytes | None = None,
) -> tuple[str, Facts]:
    """:func:`read_data` then :func:`read_facts`: the text of a facts file and its facts,
    read as :func:`read_facts_source` reads them."""
    text, facts = read_facts_source(policy, path, limits, raw=raw)
    return text(), facts


def read_facts_source(
    policy: CheckedPolicy,
    path: str | Path,
    limits: Limits | None = None,
    *,
    raw: bytes | None = None,
) -> tuple[Callable[[], str], Facts]:
    """A facts file's facts, and a function giving its text (decoded when first asked
    for: the fast path reads the bytes, and the text is wanted only to place an error).

    A JSON file is first read without looking for keys written twice or applying the depth
    bound, by the fast path alone; it is taken when that path reads every record, the data
    nests within the bound, and the mappings read hold as many entries as the text has key:
    value pairs (so no key is written twice).  Otherwise the file is read again by the
    rule, which reports every fault as :func:`read_data` and :func:`read_facts` do.
    ``raw``: the document's bytes, if at hand (an HTTP request's body); ``path`` then only
    names it (its suffix says JSON or YAML) and is not opened."""
    limits = limits or Limits.from_env()
    raw = read_bytes(path, limits) if raw is None else raw
    if Path(path).suffix.lower() == ".json":
        quick = decode_json_unchecked(raw)
        if quick is not None and type(quick[0]) is dict and _within_items(quick[0], raw, limits):
            data, colons = quick
            tally = Tally(len(data), 1)
            for key in _TOP_KEYS:
                if key in data:
                    entries, depth = _entries(data[key])
                    tally.entries += entries
                    tally.reach(1 + depth)
            try:
                shape = _Reader(policy, "", None).shape
                facts = read_columns(policy, data, shape, _TOP_KEYS, tally, owned=True, spell=True)
            except (Doubt, ValueError, RecursionError):  # ValueRefused, an int too long to
                pass  # spell, or a value nested too deep to spell: the rule reports it (E308)
            else:
                # ``colons`` counts those inside strings too: then the pairs are counted.
                pairs = tally.entries == colons or tally.entries == json_pairs(raw)
                if pairs and tally.depth <= limits.max_depth:
                    return _decoded(raw, str(path)), facts
    text, data = read_data(path, limits, raw=raw)
    return repeat(text).__next__, read_facts(policy, data, str(path), text)


def _within_items(data: Any, raw: bytes, limits: Limits) -> bool:
    """Whether no list in ``data`` (decoded from ``raw``) is longer than the bound (if one
    is, the file is read again by the rule, which reports it: E342)."""
    try:
        if may_exceed(raw.count(b","), limits):
            check_items(data, limits)
    except Refused:
        return False
    return True


def _decoded(raw: bytes, name: str) -> Callable[[], str]:
    """The text of ``raw`` (UTF-8, as the fast decoder found it), decoded once when asked."""

    @functools.cache
    def text() -> str:
        return read_text(raw, name)

    return text


def _entries(value: Any) -> tuple[int, int]:
    """How many entries the mappings in ``value`` hold, nested ones included, and how
    deeply its mappings and lists nest (0: neither)."""
    total, deepest, stack = 0, 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if type(item) is dict:
            total += len(item)
            stack += zip(item.values(), repeat(level + 1))
        elif type(item) is list:
            stack += zip(item, repeat(level + 1))
        else:
            continue
        deepest = max(deepest, level)
    return total, deepest


# ---- schema --------------------------------------------------------------------------------


def _entity_schema(ent: EntityInfo, policy: CheckedPolicy) -> dict[str, Any]:
    props: dict[str, Any] = {"id": ID_SCHEMA}
    for f in ent.facts:
        # null (written but empty) is read as "not given", like a missing key.
        sch: dict[str, Any] = {"anyOf": [type_schema(f.type, policy), {"type": "null"}]}
        if f.title:
            sch = {**sch, "title": f.title}
        if f.determination:
            sch["description"] = "determined by an agency"
        props[f.name] = sch
    for child in policy.entities:
        if child.parent == ent.name:
            props[child.key] = _block_schema(child, policy)
    return {
        "type": "object",
        "title": ent.title or ent.name,
        "properties": props,
        "required": [] if ent.single else ["id"],
        "additionalProperties": False,
    }


def _block_schema(ent: EntityInfo, policy: CheckedPolicy) -> dict[str, Any]:
    inner = _entity_schema(ent, policy)
    return inner if ent.single else {"type": "array", "items": inner}


def _grant_schema(policy: CheckedPolicy) -> dict[str, Any]:
    """A grant of a facts file's ``ledger:``, as its reader (:mod:`policyrules.ledger_io`)
    takes it: an award of the policy, its amount as money, its year a whole number in
    1..9999, and per award the keys it may name (the ids from the firm down to its subject,
    ``tier`` where it pays by tiers), those its ``once per`` and caps count by required, and
    ``year`` where a yearly cap counts it.  (A year written 2026.0 passes the schema, as
    JSON Schema's integers do; the reader refuses it.)"""
    keys = grant_keys(policy)
    each: list[dict[str, Any]] = []
    for pid, k in keys.items():
        names = ["provision", "amount", "year", *(["tier"] if k.tiered else []), *k.chain]
        then: dict[str, Any] = {
            "properties": {e: ID_SCHEMA for e in k.chain}
            | ({"tier": {"type": "string", "minLength": 1}} if k.tiered else {}),
            "propertyNames": {"enum": names},
            "required": [*k.chain[: k.need], *(["year"] if k.yearly else [])],
            # a deeper id needs those above it: the path runs from the firm down
            "dependentRequired": {e: list(k.chain[:i]) for i, e in enumerate(k.chain) if i},
        }
        each.append({"if": {"properties": {"provision": {"const": pid}}}, "then": then})
    out: dict[str, Any] = {
        "type": "object",
        "required": ["provision", "amount"],
        "properties": {
            "provision": {"enum": list(keys)},  # none: a policy without awards takes no grant
            "amount": type_schema(MONEY, policy),
            "year": {"type": "integer", "minimum": 1, "maximum": 9999},
        },
    }
    if each:  # (an empty allOf is not a schema)
        out["allOf"] = each
    return out


def schema(policy: CheckedPolicy) -> dict[str, Any]:
    """The JSON Schema of a facts file for ``policy``."""
    props: dict[str, Any] = {
        e.key: _block_schema(e, policy) for e in policy.entities if e.parent is None
    }
    props["ledger"] = {
        "type": "array",
        "description": "grants made earlier",
        "items": _grant_schema(policy),
    }
    props["parameters"] = {
        "type": "object",
        "properties": {p.name: type_schema(p.type, policy) for p in policy.parameters},
        "additionalProperties": False,
    }
    props["assumptions"] = {
        "type": "object",
        "properties": {a.name: type_schema(a.type, policy) for a in policy.assumptions}
        | {HOLIDAY_ASSUMPTION: {"enum": [u.value for u in Unpublished]}},
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "policyrules facts",
        "type": "object",
        "properties": props,
        "additionalProperties": False,
    }
