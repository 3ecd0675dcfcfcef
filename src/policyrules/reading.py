"""Reading YAML and JSON data files (facts, ledgers, worked cases): exactly, and within bounds.

The reading rule, the same for every file the toolkit reads and for values typed on the
command line:

- **YAML is read with the YAML 1.2 core schema, except that numbers stay as written.**
  ``true``/``false`` (also ``True``, ``TRUE``...) are booleans and ``null``/``~``/empty is
  nothing; ``yes``, ``no``, ``on``, ``off`` are text.  Dates are not resolved: ``2025-10-31``
  stays text until the policy says the value is a date.  A plain (unquoted) scalar that YAML
  1.1 or 1.2 would read as a number (``0701``, ``12:30``, ``0x10``, ``1_000``, ``1e3``,
  ``.inf``) is kept as a ``Numeral``: text that remembers it was written as a number.
  What it means is decided by the declared type: an id or a text is the text **exactly as
  written** (``id: 0701`` is ``"0701"``, as in JSON); a money amount, number or duration
  accepts only a plain decimal (``10``, ``-3``, ``12.5``) whose reading every YAML version
  and every person agree on.  Anything else (``010``, ``0x10``, ``0o17``, ``1_000``, ``12:30``,
  ``1e3``, ``.inf``, ``.nan``) is refused with a hint to quote it or write it plainly.
  Explicit tags (``!!int 010``, ``!!float``, ``!!timestamp``...) are refused.
- **JSON numbers are kept as written too** (a ``Numeral``): ``"0701"`` and ``701`` are ids
  ``"0701"`` and ``"701"``; an amount is read exactly, never through a binary float.
  ``NaN`` and ``Infinity`` (which Python's ``json`` would accept) are refused.
- Merge keys (``<<: *base``) work as in ``yaml.safe_load``; a key written twice in one
  mapping is refused (a key next to a merge overrides the merged one, as YAML says).
- **Bounds** (:class:`Limits`, overridable): a file larger than 64 MiB, data nested deeper than
  100 levels, a list of more than 1,000,000 items (E342), or aliases that expand the
  document beyond ``max(1,000,000, its size in bytes)`` values are refused with a located
  one-line error, in time and memory proportional to the file.  Override them in Python
  (``Limits(max_bytes=..., max_depth=..., max_items=...)``), on the command line
  (``--max-input-mb``, ``--max-depth``, ``--max-items``) or with the environment variables
  ``POLICYRULES_MAX_INPUT_MB``, ``POLICYRULES_MAX_DEPTH`` and ``POLICYRULES_MAX_ITEMS``.

Positions (line and column) are computed only when an error is reported
(``policyrules.positions.Places``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .bounds import Limits, Refused, paused_gc, too_deep
from .errors import Diagnostic, FactsError, PolicyRulesError, Span, first_line, quoted
from .positions import (
    Places,
    json_deepest,
    json_depth_place,
    json_duplicate_place,
    locate,
    place,
    yaml_deepest,
    yaml_depth_place,
)
from .positions_stream import stream_place
from .reading_json import DuplicateKey, decode_json_unchecked, json_pairs, load_json, spelled
from .reading_yaml import YAML_NUMBER, JsonNumeral, Numeral, NumeralDumper, YamlNumeral, load_yaml

__all__ = [
    "JsonNumeral",
    "Limits",
    "Numeral",
    "NumeralDumper",
    "Places",
    "YamlNumeral",
    "decode_json_unchecked",
    "json_pairs",
    "load_data",
    "locate",
    "read_as_of",
    "read_bytes",
    "read_data",
    "read_json_unchecked",
    "read_pairs",
    "read_scalar",
    "read_text",
    "spelled",
    "starts_like_store",
]


# ---- YAML and JSON -----------------------------------------------------------------------


def read_json_unchecked(path: str | Path, raw: bytes) -> tuple[str, Any, int] | None:
    """The text and data of the JSON file ``path`` (bytes ``raw``), read as
    :func:`read_data` reads them but for three things.  Integers are ints (their spelling
    is ``str`` of them: :func:`spelled` makes them the ``JsonNumeral`` the rule reads), and
    it does not look for keys written twice in one object (a dict does not keep them) or
    apply the depth bound.  The caller checks both: the data has no key written twice
    exactly when its mappings hold :func:`json_pairs` entries in all; the third item
    returned, the number of colons in the text (inside strings too), is never less, so
    entries as many as the colons show it too.  The data is within the bound when it nests
    no deeper than ``Limits.max_depth``.  ``None`` where :func:`read_data` refuses the
    file, or might (call it for the error)."""
    text = _decode(raw, str(Path(path)))
    read = decode_json_unchecked(raw)
    return None if read is None else (text, *read)


# ---- files -----------------------------------------------------------------------------


def _read_bytes(p: Path, limits: Limits) -> bytes:
    try:
        if str(p) == "-":  # standard input, as most tools read it (a file named - is ./-)
            raw = sys.stdin.buffer.read(limits.max_bytes + 1)
        else:
            with p.open("rb") as f:
                raw = f.read(limits.max_bytes + 1)
    except OSError as exc:
        raise FactsError(Diagnostic("E301", f"cannot read {p}: {exc.strerror}")) from None
    if len(raw) > limits.max_bytes:
        raise FactsError(
            Diagnostic(
                "E307",
                f"{p}: larger than the limit of {limits.max_bytes / 2**20:g} MiB",
                hint="split the file, or raise the bound with --max-input-mb / "
                "POLICYRULES_MAX_INPUT_MB",
            )
        )
    return raw


# The first 16 bytes of every SQLite database file (a ledger store).
_STORE_HEADER = b"SQLite format 3\x00"


def starts_like_store(raw: bytes) -> bool:
    """Whether ``raw`` (a file's first bytes) is the start of a SQLite database."""
    return raw.startswith(_STORE_HEADER)


def _decode(raw: bytes, name: str) -> str:
    if starts_like_store(raw):
        # A ledger store where a JSON/YAML file is read (facts, a ledger file, a case):
        # say what it is rather than that it is not UTF-8.
        raise FactsError(
            Diagnostic(
                "E343",
                f"{name}: this is a ledger store (SQLite), not a JSON/YAML file",
                hint=f"a store is given as `--ledger {name}` (eval, batch); to have its grants "
                f"as a file: `policyrules ledger export {name} --out grants.yaml`",
            )
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FactsError(
            Diagnostic(
                "E301", f"{name}: not UTF-8 text (byte {exc.start})", hint="save the file as UTF-8"
            )
        ) from None


def read_text(raw: bytes, name: str) -> str:
    """The text of a data file's bytes ``raw`` (UTF-8, a byte-order mark dropped);
    :class:`~policyrules.FactsError` E301 naming ``name`` if they are not UTF-8."""
    return _decode(raw, name)


def _span(file: str, at: tuple[int, int, int] | None) -> Span | None:
    return Span(file, at[0], at[1], at[0], at[2]) if at else None


def _reader_place(exc: yaml.YAMLError, text: str, file: str) -> Span | None:
    """Where a character YAML refuses (a control character) is: the reader gives only an
    offset, in bytes or characters depending on the loader, so the character is looked up;
    being the first refused, its first occurrence is the one."""
    if not isinstance(exc, yaml.reader.ReaderError) or not isinstance(exc.character, int):
        return None
    at = text.find(chr(exc.character))
    if at < 0:
        return None
    line, col = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
    return Span(file, line, col, line, col + 1)


_LIBYAML_DEPTH = 1000  # libyaml's MAX_NESTING_LEVEL, fixed when it is built


def _too_deep(limits: Limits, span: Span | None) -> Diagnostic:
    deep = too_deep(limits, "")
    return Diagnostic(deep.code, deep.message, span, hint=deep.hint)


def _beyond_reader(limits: Limits, found: str, span: Span | None) -> Diagnostic:
    """E308 for data within the depth bound that the reader itself cannot follow: the
    message names the limit really hit, not the bound."""
    return Diagnostic(
        "E308",
        f"the data nests {found}; the bound --max-depth {limits.max_depth} cannot raise that",
        span,
        hint="flatten the data: nest it no deeper than a few hundred levels",
    )


def parse_text(
    text: str, file: str, *, json_format: bool, limits: Limits, raw: bytes | None = None
) -> Any:
    """The data of ``text`` (YAML, or JSON if ``json_format``; ``raw``: its UTF-8 bytes, if
    at hand) by the reading rule above; :class:`~policyrules.FactsError` (E302, E307-E309)
    with the place of the fault."""
    sources = {file: text}
    try:
        with paused_gc():
            if json_format:
                return load_json(text, limits, raw)
            return load_yaml(text, limits)
    except Refused as exc:
        at: tuple[int, int, int] | None
        if isinstance(exc.where, yaml.Node):
            at = place(exc.where)
        elif exc.code == "E342":  # a list too long to compose the document around it
            at = stream_place(text, exc.where)
        else:
            at = Places(text).get(exc.where)
        d = Diagnostic(exc.code, exc.message, _span(file, at), hint=exc.hint)
        raise FactsError(d, sources=sources) from None
    except RecursionError:
        depth, line, col = json_deepest(text) if json_format else yaml_deepest(text)
        if depth > limits.max_depth or not depth:
            place_of = json_depth_place if json_format else yaml_depth_place
            line, col = place_of(text, limits.max_depth)
            d = _too_deep(limits, Span(file, line, col, line, col + 1) if line else None)
        else:  # the bound was not reached: Python's recursion limit was
            d = _beyond_reader(
                limits,
                f"{depth} levels: too deep for the reader, which hit Python's "
                f"recursion limit ({sys.getrecursionlimit()} calls)",
                Span(file, line, col, line, col + 1) if line else None,
            )
        raise FactsError(d, sources=sources) from None
    except DuplicateKey as exc:
        twice = json_duplicate_place(text, exc.key)
        span = (
            Span(file, twice[0], twice[1], twice[0], twice[1] + len(json.dumps(exc.key)))
            if twice
            else None
        )
        raise FactsError(
            Diagnostic("E302", f"not valid JSON: {exc}", span, hint="give each key once"),
            sources=sources,
        ) from None
    except json.JSONDecodeError as exc:
        span = Span(file, exc.lineno, exc.colno, exc.lineno, exc.colno + 1)
        hint = (
            "the document is empty: send a facts document, `{}` at least"
            if not text.strip()
            else 'JSON quotes its keys and text with ", puts a comma between items and none '
            "after the last: look at the place shown (or send YAML)"
        )
        raise FactsError(
            Diagnostic("E302", f"not valid JSON: {exc.msg}", span, hint=hint), sources=sources
        ) from None
    except ValueError as exc:  # NaN, Infinity
        raise FactsError(
            Diagnostic("E302", f"not valid JSON: {exc}", hint="write a number, or quote it"),
            sources=sources,
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = (
            Span(file, mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)
            if mark
            else _reader_place(exc, text, file)
        )
        problem = getattr(exc, "problem", None) or first_line(exc)
        if "maximum nesting depth" in problem:  # libyaml's own bound (1000 levels)
            # Placed where the bound is passed, not at libyaml's 1,000th level.
            line, col = (
                yaml_depth_place(text, limits.max_depth)
                if limits.max_depth < _LIBYAML_DEPTH
                else (0, 0)
            )
            d = (
                _too_deep(limits, Span(file, line, col, line, col + 1) if line else where)
                if limits.max_depth < _LIBYAML_DEPTH
                else _beyond_reader(
                    limits,
                    f"more than {_LIBYAML_DEPTH} levels, the most the YAML parser (libyaml) reads",
                    where,
                )
            )
            raise FactsError(d, sources=sources) from None
        hint = (
            "look at the place shown: indent the items of a block alike, and quote a text "
            "holding `: ` or ` #`"
        )
        if "appears twice" in problem:
            hint = "give each key once"
        if "constructor for the tag" in problem:
            hint = "write the value without a tag: numbers as plain decimals, dates as YYYY-MM-DD"
        raise FactsError(
            Diagnostic("E302", f"not valid YAML: {problem}", where, hint=hint), sources=sources
        ) from None


def read_bytes(path: str | Path, limits: Limits | None = None) -> bytes:
    """The bytes of ``path``, read once (a pipe such as ``<(cat f)`` can be read only once),
    within ``limits``; :class:`~policyrules.FactsError` E301 unreadable, E307 too large."""
    return _read_bytes(Path(path), limits or Limits.from_env())


def read_data(
    path: str | Path, limits: Limits | None = None, *, raw: bytes | None = None
) -> tuple[str, Any]:
    """The text of a YAML or JSON file (JSON if it ends in ``.json``) and its data, read by
    the rule above within ``limits`` (default :meth:`Limits.from_env`).  ``raw``: the
    file's bytes, if already read (``read_bytes``); the file is then not opened.

    Raises :class:`~policyrules.FactsError`: E301 unreadable or not UTF-8, E302 not valid YAML/JSON,
    E307 too large, E308 nested too deeply, E309 aliases that expand too far."""
    p = Path(path)
    limits = limits or Limits.from_env()
    raw = _read_bytes(p, limits) if raw is None else raw
    text = _decode(raw, str(p))
    json_format = p.suffix.lower() == ".json"
    return text, parse_text(text, str(p), json_format=json_format, limits=limits, raw=raw)


def load_data(path: str | Path, limits: Limits | None = None) -> Any:
    """The data of a YAML or JSON file, read as :func:`read_data` reads it."""
    return read_data(path, limits)[1]


def read_scalar(text: str) -> Any:
    """A value typed on the command line (``--set``, ``--assume``, ``--as-of``), read as a
    plain YAML scalar by the rule above: ``true`` is a boolean, ``30`` a ``Numeral``,
    ``30%``, ``2026-05-01`` and ``200 万元`` text; quotes keep anything as text."""
    stripped = text.strip()
    if stripped[:1] in ('"', "'") and stripped[-1:] == stripped[:1] and len(stripped) > 1:
        return stripped[1:-1]
    if stripped in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return stripped.lower() == "true"
    if stripped in ("null", "Null", "NULL", "~", ""):
        return None
    return YamlNumeral(stripped) if YAML_NUMBER.fullmatch(stripped) else stripped


def read_as_of(text: str) -> Any:
    """``--as-of`` as typed, read by :func:`read_scalar`; the date itself is checked where
    ``as_of`` is (``YYYY-MM-DD`` only, E313).

    :raises PolicyRulesError: (E313) for an empty value, which would otherwise read as no
        date at all (``--as-of ""`` is a mistake, not "today")."""
    value = read_scalar(text)
    if value is None:
        raise PolicyRulesError(
            Diagnostic(
                "E313",
                f"--as-of {text!r}: not a date",
                hint="write the day of the evaluation as YYYY-MM-DD, e.g. 2026-05-01, "
                "or leave --as-of out",
            )
        )
    return value


def read_pairs(items: Iterable[str], flag: str) -> dict[str, Any]:
    """``NAME=VALUE`` pairs from the command line (``--set``, ``--assume``); each value is
    read as a plain YAML scalar by :func:`read_scalar` (``true`` a boolean, ``30`` a number as
    written, ``30%`` text), or, written in braces, as the YAML flow mapping a facts file
    holds (an exchange rate: ``usd_cny={rate: "7.1234", date: 2026-01-05}``), by the facts
    file's own YAML reader; then converted by the declared type, exactly as in a facts file.

    :raises PolicyRulesError: (E300) for an item with no ``=`` or no name; (E341) for a value
        in braces that is not a YAML mapping."""
    out: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            sep = " " if flag.startswith("-") else "="  # (--set a=1; the service's set=a=1)
            raise PolicyRulesError(
                Diagnostic(
                    "E300",
                    f"{flag} {quoted(item)}: write NAME=VALUE",
                    hint=f"write {flag}{sep}NAME=VALUE, e.g. {flag}{sep}rate=30%",
                )
            )
        name = name.strip()
        if name in out:  # the last would win, silently
            raise PolicyRulesError(
                Diagnostic("E300", f"{flag} {name}: given twice", hint=f"give {name} once")
            )
        braced = value.strip().startswith("{")
        out[name] = _read_mapping(value, flag, name) if braced else read_scalar(value)
    return out


def _read_mapping(text: str, flag: str, name: str) -> Any:
    """``{rate: "7.1234", date: 2026-01-05}`` typed after ``NAME=``, read as in a facts file."""
    why = ""
    try:
        value = load_yaml(text, Limits())
    except (yaml.YAMLError, ValueError) as exc:
        value = None
        problem = getattr(exc, "problem", None) or first_line(exc)
        why = f" ({problem})"
    if not isinstance(value, dict):
        raise PolicyRulesError(
            Diagnostic(
                "E341",
                f"{flag} {name}={text.strip()}: not a mapping in braces{why}",
                hint=f"write it as in a facts file, quoted for the shell: "
                f"{flag} {name}='{{rate: \"7.1234\", date: 2026-01-05}}' (an exchange rate), "
                f"{flag} {name}='{{g1: 10万元, g2: 20万元}}' (a table)",
            )
        )
    return value
