"""The YAML half of the reading rule (:mod:`policyrules.reading`): the loader and the numerals.

A plain scalar that YAML 1.1 or 1.2 would read as a number is kept as a
:class:`YamlNumeral`, its spelling; only null, booleans, text, lists and mappings are built,
a key written twice is refused, and aliases are measured before they are expanded.
:class:`Numeral` and :class:`JsonNumeral` (the JSON reader's) live here too, and
:class:`NumeralDumper` writes numerals back as read.  Callers import them from
:mod:`policyrules.reading`.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, cast

import yaml
import yaml.constructor

from .bounds import Limits, check_depth, measure_nodes
from .bounds_items import check_items, may_exceed
from .errors import quoted
from .positions import MERGE_TAG

__all__ = [
    "YAML_NUMBER",
    "JsonNumeral",
    "Numeral",
    "NumeralDumper",
    "YamlNumeral",
    "load_yaml",
]


class Numeral(str):
    """A number as it was written in a data file: its exact spelling, kept as text until the
    declared type says what it is (an id ``0701``, or an amount ``10``)."""

    __slots__ = ()


class YamlNumeral(Numeral):
    """A plain (unquoted) YAML scalar that YAML 1.1 or 1.2 would read as a number."""

    __slots__ = ()


class JsonNumeral(Numeral):
    """A JSON number, spelled as in the file."""

    __slots__ = ()


# Every plain scalar YAML 1.1 or the 1.2 core schema reads as an int or a float.
YAML_NUMBER = re.compile(
    r"""[-+]?(?:
        0b[01_]+ | 0o[0-7_]+ | 0x[0-9a-fA-F_]+
      | [0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
      | (?:[0-9][0-9_]*(?:\.[0-9_]*)? | \.[0-9_]+)(?:[eE][-+]?[0-9]+)?
      | \.(?:inf|Inf|INF)
    ) | \.(?:nan|NaN|NAN)""",
    re.VERBOSE | re.ASCII,
)


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core booleans and nulls, merge keys; everything else is text."""


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_Resolver.add_implicit_resolver(MERGE_TAG, re.compile(r"^(?:<<)$"), ["<"])


class _Constructor(yaml.constructor.SafeConstructor):
    """Only null, bool, text, lists and mappings; numbers stay :class:`YamlNumeral`."""

    yaml_constructors: ClassVar[dict[Any, Any]] = {}  # PyYAML's registry, ours alone

    def construct_text(self, node: yaml.ScalarNode) -> str:
        value = str(self.construct_scalar(node))
        if not node.style and YAML_NUMBER.fullmatch(value):
            return YamlNumeral(value)
        return value

    def construct_bool(self, node: yaml.ScalarNode) -> bool:
        return str(self.construct_scalar(node)).lower() == "true"

    def construct_checked_mapping(self, node: yaml.MappingNode) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:
                continue
            key = self.construct_object(key_node)
            try:
                duplicate = key in seen
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be text", key_node.start_mark
                ) from None
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {quoted(key)} appears twice", key_node.start_mark
                )
            seen.add(key)
        return self.construct_mapping(node, deep=True)


_add = cast(Any, _Constructor.add_constructor)
_add("tag:yaml.org,2002:null", _Constructor.construct_yaml_null)
_add("tag:yaml.org,2002:bool", _Constructor.construct_bool)
_add("tag:yaml.org,2002:str", _Constructor.construct_text)
_add("tag:yaml.org,2002:seq", _Constructor.construct_yaml_seq)
_add("tag:yaml.org,2002:map", _Constructor.construct_checked_mapping)
_add(None, _Constructor.construct_undefined)  # !!int, !!timestamp...

if yaml.__with_libyaml__:  # the C parser: fast, and libyaml bounds nesting at 1000 levels
    from yaml._yaml import CParser

    class _Loader(CParser, _Constructor, _Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Constructor.__init__(self)
            _Resolver.__init__(self)

else:  # pragma: no cover - PyYAML built without libyaml

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _Constructor,
        _Resolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Constructor.__init__(self)
            _Resolver.__init__(self)


class NumeralDumper(yaml.SafeDumper):
    """``yaml.SafeDumper`` that writes a ``Numeral`` back as it was read: plain, with its
    spelling (``0701`` stays ``0701``)."""


def _represent_numeral(dumper: yaml.SafeDumper, data: Numeral) -> yaml.ScalarNode:
    tag = cast(Any, dumper).resolve(yaml.ScalarNode, str(data), (True, False))
    return dumper.represent_scalar(tag, str(data))


NumeralDumper.add_multi_representer(Numeral, _represent_numeral)


def load_yaml(text: str, limits: Limits) -> Any:
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        if "*" in text:  # aliases: measure the expanded graph before building anything
            measure_nodes(root, limits, max(limits.max_nodes, len(text)))
            data = loader.construct_document(root)
        else:
            data = loader.construct_document(root)
            check_depth(data, limits)
    finally:
        loader.dispose()
    if may_exceed(text.count(",") + text.count("\n"), limits):
        check_items(data, limits)
    return data
