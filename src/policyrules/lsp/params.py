"""Why a message's parameters do not read, naming the field as the message spells it.

A request or notification whose ``params`` cattrs cannot structure (a position at line -1,
null or left out) is refused or dropped by :mod:`policyrules.lsp.server`, with the reason
:func:`unread_field` gives: ``position is null``, not cattrs's innermost ``'NoneType' object
is not subscriptable``.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["unread_field"]

_AT = re.compile(r"@ (?:attribute (?P<attribute>\w+)|index (?P<index>\d+))$")
_NAMED = re.compile(r"(?P<cls>[A-Z]\w*)\.(?P<attribute>\w+) (?P<rest>.*)", re.DOTALL)


def _camel(attribute: str) -> str:
    """A field's name in the protocol's JSON: ``text_document`` is ``textDocument``."""
    head, *rest = attribute.rstrip("_").split("_")
    return head + "".join(part.title() for part in rest)


def unread_field(exc: BaseException, data: Any) -> str:
    """Which field of a message failed to read, and how: ``position is null``,
    ``textDocument.uri is missing``, ``position.line should be in range [0:2147483647], but
    was -1.``; the field is named as in the message (its JSON names, from ``params`` on).

    cattrs nests one failure per level, each noted with the attribute or index it was
    reading (``Structuring class HoverParams @ attribute position``): the first of each is
    followed, the message's value read alongside to tell a field missing or null.

    >>> from lsprotocol import types as lsp
    >>> from pygls.protocol import default_converter
    >>> params = {"textDocument": {"uri": "file:///a.rule"}, "position": None}
    >>> message = {"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": params}
    >>> try:
    ...     default_converter().structure(message, lsp.HoverRequest)
    ... except Exception as exc:
    ...     print(unread_field(exc, message))
    position is null
    """
    path: list[str] = []
    value = data
    while True:
        for note in getattr(exc, "__notes__", ()):
            if (m := _AT.search(note)) is None:
                continue
            key: str | int = _camel(m["attribute"]) if m["attribute"] else int(m["index"])
            path.append(f"[{key}]" if isinstance(key, int) else key)
            if isinstance(value, dict) and isinstance(key, str):
                if key not in value:
                    return f"{_field(path)} is missing"
                value = value[key]
            elif isinstance(value, list) and isinstance(key, int) and key < len(value):
                value = value[key]
            if value is None:
                return f"{_field(path)} is null"
        if not (isinstance(exc, BaseExceptionGroup) and exc.exceptions):
            break
        exc = exc.exceptions[0]
    said = str(exc)
    # a validator's own words name its class and field: `Position.line should be …`
    if (m := _NAMED.fullmatch(said)) is not None:
        return f"{_field([*path, _camel(m['attribute'])])} {m['rest']}"
    return f"{_field(path)}: {said}" if path else said


def _field(path: list[str]) -> str:
    """``params``, then the fields under it without it: ``position.line``,
    ``contentChanges[0].range``."""
    named = path[1:] if len(path) > 1 and path[0] == "params" else path
    return "".join(p if p.startswith("[") or i == 0 else f".{p}" for i, p in enumerate(named))
