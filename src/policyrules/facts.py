"""Facts files: read YAML or JSON exactly, check them against the policy, derive the schema.

Numbers are read as :class:`~decimal.Decimal` (never binary floats); a date that is not a
date stays text so the error can say so; every error names the path inside the file:

``firms[0].products[2].approved_on: not a date: "2025-13-01"``
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs
import yaml

from . import types as t
from .errors import Diagnostic, FactsError, Span, did_you_mean
from .model import CheckedPolicy, EntityInfo
from .runtime.calendar import HOLIDAY_ASSUMPTION, Unpublished
from .runtime.money import Money, parse_rate
from .runtime.values import Duration, Value

__all__ = [
    "Facts",
    "Instance",
    "convert_value",
    "load_data",
    "locate",
    "read_data",
    "read_facts",
    "schema",
]

_TOP_KEYS = ("as_of", "ledger", "parameters", "assumptions")


@attrs.frozen
class Instance:
    """One firm, product or project: its id, its facts, and whose it is."""

    entity: str
    id: str
    values: Mapping[str, Value]
    parent: Instance | None
    path: str

    def chain(self) -> dict[str, Instance]:
        out: dict[str, Instance] = {}
        inst: Instance | None = self
        while inst is not None:
            out[inst.entity] = inst
            inst = inst.parent
        return out

    @property
    def firm_key(self) -> str:
        """The id of the outermost owner: claims that share a firm-year cap share it."""
        inst = self
        while inst.parent is not None:
            inst = inst.parent
        return f"{inst.entity}:{inst.id}"


@attrs.frozen
class Facts:
    """Checked facts: instances per entity, plus raw ledger / parameter / assumption data."""

    instances: Mapping[str, tuple[Instance, ...]]
    extra: Mapping[str, Any] = attrs.field(factory=dict)


# ---- reading -------------------------------------------------------------------------------


class _ExactLoader(yaml.SafeLoader):
    """YAML with floats as Decimal, bad dates as text, and duplicate keys refused."""


def _decimal(loader: _ExactLoader, node: yaml.ScalarNode) -> Decimal:
    text = loader.construct_scalar(node)
    try:
        number = Decimal(text.replace("_", ""))
    except InvalidOperation:  # .inf, .nan: YAML floats that are no number
        number = Decimal("NaN")
    if not number.is_finite():
        raise yaml.constructor.ConstructorError(
            None, None, f"{text} is not a finite number", node.start_mark
        )
    return number


def _timestamp(loader: _ExactLoader, node: yaml.ScalarNode) -> object:
    text = loader.construct_scalar(node)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return text


def _mapping(loader: _ExactLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
_ExactLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_ExactLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(f"the key {key!r} appears twice")
        self.key = key


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key written twice (``json`` would keep the last silently)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _json_duplicate_place(text: str, key: str) -> tuple[int, int]:
    """Line and column (from 1) of the second writing of ``key`` in one object, or (0, 0)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return 0, 0
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[object] = set()
            for k, v in node.value:
                if k.value == key and key in seen:
                    return k.start_mark.line + 1, k.start_mark.column + 1
                seen.add(k.value)
                stack.append(v)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return 0, 0


def load_data(path: str | Path) -> Any:
    """Read a YAML or JSON file exactly; :class:`FactsError` if it cannot be read."""
    return read_data(path)[1]


def locate(text: str) -> dict[str, tuple[int, int, int]]:
    """Where each path of a YAML/JSON document is: ``firms[0].id`` -> (line, col, end col)."""
    out: dict[str, tuple[int, int, int]] = {}

    def place(node: yaml.Node) -> tuple[int, int, int]:
        start, end = node.start_mark, node.end_mark
        end_col = end.column + 1 if end.line == start.line else start.column + 2
        return (start.line + 1, start.column + 1, max(end_col, start.column + 2))

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return out

    seen: set[int] = set()

    def walk(node: yaml.Node, path: str) -> None:
        out[path] = place(node)
        if id(node) in seen:
            return  # an alias to a node already walked: `&a [*a]` would never end
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = f"{path}.{key.value}" if path else str(key.value)
                out[sub + "#key"] = place(key)
                walk(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{path}[{i}]")

    if root is not None:
        walk(root, "")
    return out


def read_data(path: str | Path) -> tuple[str, Any]:
    """The text of a YAML or JSON file and its data, read exactly."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise FactsError(Diagnostic("E301", f"cannot read {p}: {exc.strerror}")) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FactsError(
            Diagnostic(
                "E301", f"{p}: not UTF-8 text (byte {exc.start})", hint="save the file as UTF-8"
            )
        ) from None
    try:
        if p.suffix.lower() == ".json":
            return text, json.loads(text, parse_float=Decimal, object_pairs_hook=_json_object)
        return text, yaml.load(text, Loader=_ExactLoader)
    except _DuplicateKey as exc:
        line, col = _json_duplicate_place(text, exc.key)
        span = Span(str(p), line, col, line, col + len(json.dumps(exc.key))) if line else None
        raise FactsError(
            Diagnostic("E302", f"not valid JSON: {exc}", span), sources={str(p): text}
        ) from None
    except json.JSONDecodeError as exc:
        span = Span(str(p), exc.lineno, exc.colno, exc.lineno, exc.colno + 1)
        raise FactsError(
            Diagnostic("E302", f"not valid JSON: {exc.msg}", span), sources={str(p): text}
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = (
            Span(str(p), mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)
            if mark
            else None
        )
        problem = getattr(exc, "problem", None) or str(exc)
        raise FactsError(
            Diagnostic("E302", f"not valid YAML: {problem}", where), sources={str(p): text}
        ) from None


# ---- checking ------------------------------------------------------------------------------


class _Reader:
    def __init__(self, policy: CheckedPolicy, file: str, text: str | None) -> None:
        self.policy = policy
        self.file = file
        self.places = locate(text) if text is not None else {}
        self.diags: list[Diagnostic] = []

    def error(self, path: str, message: str, hint: str | None = None) -> None:
        """Report at ``path``; an unknown key is shown at the key, a bad value at the value."""
        at_key = self.places.get(f"{path}#key") if message.startswith("unknown") else None
        at = "" if path == "(top)" else path  # locate() names the whole document ""
        where = at_key or self.places.get(at) or self.places.get(at.rsplit(".", 1)[0])
        span = Span(self.file, where[0], where[1], where[0], where[2]) if where else None
        self.diags.append(Diagnostic("E303", f"{path}: {message}", span, hint=hint))

    def top(self, data: Any) -> Facts:
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self.error(
                "(top)", f"a facts file is a mapping, not {_kind(data)}", "start with e.g. `firms:`"
            )
            return Facts({})
        roots = [e for e in self.policy.entities if e.parent is None]
        allowed = {e.key: e for e in roots}
        for key in data:
            if key not in allowed and key not in _TOP_KEYS:
                self.error(
                    str(key),
                    "unknown key",
                    did_you_mean(str(key), [*allowed, *_TOP_KEYS])
                    or f"known keys: {', '.join([*allowed, *_TOP_KEYS])}",
                )
        instances: dict[str, list[Instance]] = {e.name: [] for e in self.policy.entities}
        for key, ent in allowed.items():
            if key in data:
                self.entity_block(ent, data[key], key, None, instances)
        extra = {k: data[k] for k in _TOP_KEYS if k in data}
        return Facts({k: tuple(v) for k, v in instances.items()}, extra)

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
            self.error(path, f"a list of {ent.name} is expected, not {_kind(raw)}")
            return
        ids: set[str] = set()
        for i, item in enumerate(raw):
            inst = self.instance(ent, item, f"{path}[{i}]", parent, out)
            if inst is not None:
                if inst.id in ids:
                    self.error(f"{path}[{i}].id", f"the id {inst.id!r} is used twice")
                ids.add(inst.id)

    def instance(
        self,
        ent: EntityInfo,
        raw: Any,
        path: str,
        parent: Instance | None,
        out: dict[str, list[Instance]],
    ) -> Instance | None:
        if not isinstance(raw, dict):
            self.error(path, f"a mapping of facts is expected, not {_kind(raw)}")
            return None
        children = {c.key: c for c in self.policy.entities if c.parent == ent.name}
        facts = {f.name: f for f in ent.facts}
        values: dict[str, Value] = {}
        ident = raw.get("id", ent.name if ent.single else None)
        if ident is None:
            self.error(path, "missing `id`", f"give each {ent.name} an id: `id: ...`")
            ident = "?"
        elif not isinstance(ident, str | int) or isinstance(ident, bool):
            self.error(f"{path}.id", f"an id is text, not {_kind(ident)}")
        for key, value in raw.items():
            if key == "id" or key in children:
                continue
            if key not in facts:
                self.error(
                    f"{path}.{key}",
                    f"unknown fact of {ent.name}",
                    did_you_mean(str(key), [*facts, *children]),
                )
                continue
            if value is None:
                continue  # written but empty: unknown, like a missing fact
            try:
                values[key] = convert_value(value, facts[key].type, self.policy)
            except ValueError as exc:
                self.error(f"{path}.{key}", str(exc))
        inst = Instance(ent.name, str(ident), values, parent, path)
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
    facts = reader.top(data)
    if reader.diags:
        diags = [
            d if d.span else attrs.evolve(d, message=f"{file}: {d.message}") for d in reader.diags
        ]
        raise FactsError(diags, sources={file: text} if text is not None else None)
    return facts


def _kind(v: object) -> str:
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, int | Decimal):
        return "a number"
    if isinstance(v, str):
        return f'text "{v}"'
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, dt.date):
        return "a date"
    return type(v).__name__


def convert_value(v: Any, typ: t.Type, policy: CheckedPolicy) -> Value:
    """``v`` as a runtime value of ``typ``; ``ValueError`` with a message if it is not one."""
    k = typ.kind
    if isinstance(v, float):
        raise ValueError("a binary float is not exact: write the number as text or a decimal")
    if k == "bool":
        if not isinstance(v, bool):
            raise ValueError(f"true or false is expected, not {_kind(v)}")
        return v
    if k == "date":
        if isinstance(v, dt.datetime) or not isinstance(v, dt.date | str):
            raise ValueError(f"not a date: {_show(v)}")
        if isinstance(v, str):
            try:
                return dt.date.fromisoformat(v)
            except ValueError:
                raise ValueError(f"not a date: {_show(v)}") from None
        return v
    if k == "money":
        if isinstance(v, bool) or not isinstance(v, int | Decimal | str):
            raise ValueError(f"an amount of money is expected, not {_kind(v)}")
        try:
            m = Money.parse(v) if isinstance(v, str) else Money.of(v, "元")
        except ValueError as exc:
            raise ValueError(f"not an amount of money: {_show(v)} ({exc})") from None
        if m.fen < 0:
            raise ValueError(f"money cannot be negative: {_show(v)}")
        return m
    if k == "rate":
        if isinstance(v, str):
            try:
                return parse_rate(v)
            except ValueError:
                raise ValueError(f'not a rate: {_show(v)}; write e.g. "30%"') from None
        if isinstance(v, int | Decimal) and not isinstance(v, bool) and 0 <= v <= 1:
            return Decimal(v)
        raise ValueError(f'not a rate: {_show(v)}; write e.g. "30%"')
    if k == "number":
        if isinstance(v, bool) or not isinstance(v, int | Decimal | str):
            raise ValueError(f"a number is expected, not {_kind(v)}")
        try:
            number = Decimal(v)
        except InvalidOperation:
            raise ValueError(f"not a number: {_show(v)}") from None
        _bounded(number, v)
        return number
    if k == "text":
        if not isinstance(v, str):
            raise ValueError(f"text is expected, not {_kind(v)}")
        return v
    if k == "duration":
        return _duration(v, typ.unit or "日")
    if k == "enum":
        info = policy.enum(typ.name or "")
        members = info.member_names if info else ()
        if not isinstance(v, str) or v not in members:
            hint = did_you_mean(str(v), members) if isinstance(v, str) else None
            raise ValueError(
                f"not a member of {typ.name}: {_show(v)}"
                + (f"; {hint}" if hint else f" (one of {', '.join(members)})")
            )
        return v
    if k in ("set", "list"):
        if not isinstance(v, list):
            raise ValueError(f"a list is expected, not {_kind(v)}")
        elem = typ.element or t.ANY
        items = []
        for i, x in enumerate(v):
            try:
                items.append(convert_value(x, elem, policy))
            except ValueError as exc:
                raise ValueError(f"[{i}]: {exc}") from None
        return frozenset(items) if k == "set" else tuple(items)
    raise ValueError(f"cannot read a {typ.describe()}")  # pragma: no cover


def _duration(v: Any, unit: str) -> Duration:
    if isinstance(v, int | Decimal) and not isinstance(v, bool):
        if v < 0:
            raise ValueError(f"a duration cannot be negative: {_show(v)}")
        return Duration(_bounded(Decimal(v), v), unit)
    if isinstance(v, str):
        text = v.strip()
        for u in sorted(t.DURATION_UNITS, key=len, reverse=True):
            if text.endswith(u):
                number = text[: -len(u)].strip()
                if u != unit:
                    raise ValueError(f"{_show(v)} is in {u}, but {unit} is expected")
                try:
                    return _duration(Decimal(number), unit)
                except InvalidOperation:
                    break
    raise ValueError(f"not a duration in {unit}: {_show(v)}")


_MAX_DIGITS = 40  # as for money amounts and for the numbers of a .rule file


def _bounded(number: Decimal, raw: object) -> Decimal:
    """``number`` if it is finite and has at most 40 digits before the point."""
    if not number.is_finite():
        raise ValueError(f"not a finite number: {_show(raw)}")
    if number and number.adjusted() >= _MAX_DIGITS:
        raise ValueError(f"a number of more than {_MAX_DIGITS} digits: {_show(raw)}")
    return number


def _show(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return f'"{v}"' if isinstance(v, str) else str(v)


# ---- schema --------------------------------------------------------------------------------


def _type_schema(typ: t.Type, policy: CheckedPolicy) -> dict[str, Any]:
    k = typ.kind
    if k == "money":
        return {
            "description": 'money: a number of 元, or text such as "200 万元"',
            "anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "pattern": r"^[0-9][0-9,]*(\.[0-9]+)?\s*(元|万元|亿元|万|亿)?$"},
            ],
        }
    if k == "rate":
        return {
            "type": "string",
            "pattern": r"^[0-9]+(\.[0-9]+)?%$",
            "description": "rate, e.g. 30%",
        }
    if k == "number":
        return {"type": "number"}
    if k == "date":
        return {"type": "string", "format": "date"}
    if k == "bool":
        return {"type": "boolean"}
    if k == "text":
        return {"type": "string"}
    if k == "duration":
        return {
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": rf"^[0-9]+(\.[0-9]+)?\s*{typ.unit}$"},
            ],
            "description": f"a duration in {typ.unit}",
        }
    if k == "enum":
        info = policy.enum(typ.name or "")
        return {"enum": list(info.member_names) if info else []}
    if k in ("set", "list"):
        out: dict[str, Any] = {"type": "array", "items": _type_schema(typ.element or t.ANY, policy)}
        if k == "set":
            out["uniqueItems"] = True
        return out
    return {}


def _entity_schema(ent: EntityInfo, policy: CheckedPolicy) -> dict[str, Any]:
    props: dict[str, Any] = {"id": {"type": ["string", "integer"]}}
    for f in ent.facts:
        sch = _type_schema(f.type, policy)
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


def schema(policy: CheckedPolicy) -> dict[str, Any]:
    """The JSON Schema of a facts file for ``policy``."""
    props: dict[str, Any] = {
        e.key: _block_schema(e, policy) for e in policy.entities if e.parent is None
    }
    props["ledger"] = {
        "type": "array",
        "description": "grants made earlier",
        "items": {"type": "object", "required": ["provision", "amount"]},
    }
    props["parameters"] = {
        "type": "object",
        "properties": {p.name: _type_schema(p.type, policy) for p in policy.parameters},
        "additionalProperties": False,
    }
    props["assumptions"] = {
        "type": "object",
        "properties": {a.name: _type_schema(a.type, policy) for a in policy.assumptions}
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
