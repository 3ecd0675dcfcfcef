"""Where things are in a YAML or JSON document: line and column of a path, computed only
when an error is reported (reading never pays for positions it does not show)."""

from __future__ import annotations

import re

import yaml

__all__ = [
    "MERGE_TAG",
    "Places",
    "at_key",
    "json_deepest",
    "json_depth_place",
    "json_duplicate_place",
    "locate",
    "place",
    "yaml_deepest",
    "yaml_depth_place",
]

MERGE_TAG = "tag:yaml.org,2002:merge"

_PATH_PART = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")


class Places:
    """Where each path of a YAML/JSON document is (``firms[0].id`` -> line, column, end
    column), computed on first use: reading never pays for positions it does not report."""

    def __init__(self, text: str | None) -> None:
        self._text = text
        self._root: yaml.Node | None = None
        self._composed = text is None

    def _compose(self) -> yaml.Node | None:
        if not self._composed:
            self._composed = True
            loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
            try:
                self._root = yaml.compose(self._text or "", Loader=loader)
            except (yaml.YAMLError, RecursionError):
                self._root = None
        return self._root

    def get(self, path: str) -> tuple[int, int, int] | None:
        """``(line, col, end_col)`` of ``path`` (``path#key``: its key), or ``None``."""
        node = self._compose()
        want_key = path.endswith("#key")
        path = path.removesuffix("#key")
        key_node = None
        for m in _PATH_PART.finditer(path):
            if node is None:
                return None
            index, key = m.groups()
            if index is not None and isinstance(node, yaml.SequenceNode):
                node = node.value[int(index)] if int(index) < len(node.value) else None
            elif key is not None and isinstance(node, yaml.MappingNode):
                key_node, node = _lookup(node, key)
            else:
                return None
        target = key_node if want_key else node
        return None if target is None else place(target)


def at_key(message: str) -> bool:
    """Whether an error about a path, ``message`` being what follows the path, is shown at
    the path's key (an unknown name: the key is the fault) rather than at its value.

    >>> at_key("unknown fact of product"), at_key("not a date")
    (True, False)
    """
    return message.startswith("unknown")


def _lookup(node: yaml.MappingNode, key: str) -> tuple[yaml.Node | None, yaml.Node | None]:
    merged: list[yaml.Node] = []
    for k, v in node.value:
        if k.tag == MERGE_TAG or k.value == "<<":
            merged.extend(v.value if isinstance(v, yaml.SequenceNode) else [v])
        elif isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    for m in merged:
        if isinstance(m, yaml.MappingNode):
            found = _lookup(m, key)
            if found[1] is not None:
                return found
    return None, None


def place(node: yaml.Node) -> tuple[int, int, int]:
    """``(line, col, end_col)`` of a node, from 1; a node over several lines ends at col + 1."""
    start, end = node.start_mark, node.end_mark
    end_col = end.column + 1 if end.line == start.line else start.column + 2
    return (start.line + 1, start.column + 1, max(end_col, start.column + 2))


def locate(text: str) -> dict[str, tuple[int, int, int]]:
    """Every path of a YAML/JSON document and where it is: ``firms[0].id`` -> (line, col,
    end col), ``firms[0].id#key`` for its key.  Builds the whole map: prefer :class:`Places`."""
    out: dict[str, tuple[int, int, int]] = {}
    root = Places(text)._compose()
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str]] = [(root, "")] if root is not None else []
    while stack:
        node, path = stack.pop()
        out[path] = place(node)
        if id(node) in seen:
            continue  # an alias to a node already walked
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = f"{path}.{key.value}" if path else str(key.value)
                out[sub + "#key"] = place(key)
                stack.append((value, sub))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, f"{path}[{i}]") for i, item in enumerate(node.value))
    return out


def json_depth_place(text: str, max_depth: int) -> tuple[int, int]:
    """Line and column (from 1) where brackets first nest deeper than ``max_depth``."""
    level = 0
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        tok = m.group()
        if tok in "[{":
            level += 1
            if level > max_depth:
                line = text.count("\n", 0, m.start()) + 1
                return line, m.start() - text.rfind("\n", 0, m.start())
        elif tok in "]}":
            level -= 1
    return 0, 0


def json_duplicate_place(text: str, key: str) -> tuple[int, int] | None:
    """Line and column (from 1) of the second writing of ``key`` in one object."""
    root = Places(text)._compose()
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
    return None


def json_deepest(text: str) -> tuple[int, int, int]:
    """How deeply the brackets of the JSON text ``text`` nest, outside strings, and the line
    and column (from 1) of the first bracket at that depth: ``(depth, line, col)``."""
    level = deepest = at = 0
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        tok = m.group()
        if tok in "[{":
            level += 1
            if level > deepest:
                deepest, at = level, m.start()
        elif tok in "]}":
            level -= 1
    if not deepest:
        return 0, 0, 0
    return deepest, text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


def yaml_deepest(text: str) -> tuple[int, int, int]:
    """How deeply the YAML text ``text`` nests (aliases not followed) and the line and column
    (from 1) of the first node at that depth: ``(depth, line, col)``; ``(0, 0, 0)`` if it
    cannot be composed.  Walked without recursion."""
    root = Places(text)._compose()
    deepest, at = 0, root
    stack: list[tuple[yaml.Node, int]] = [(root, 1)] if root is not None else []
    while stack:
        node, level = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            continue
        if level > deepest:
            deepest, at = level, node
        if isinstance(node, yaml.MappingNode):
            stack.extend((v, level + 1) for _, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((v, level + 1) for v in node.value)
    if at is None or not deepest:
        return 0, 0, 0
    return deepest, at.start_mark.line + 1, at.start_mark.column + 1


def yaml_depth_place(text: str, max_depth: int) -> tuple[int, int]:
    """Line and column (from 1) where the YAML text ``text`` first nests deeper than
    ``max_depth`` (the root is level 1, as in :func:`json_depth_place`; aliases not
    followed), or ``(0, 0)``.  Read as a stream of events, without recursion.  libyaml
    is tried first; where it stops before the place (its bound of 1,000 levels, met while
    it scans a flow collection ahead), PyYAML's own parser, which has no such bound."""
    loaders: list[type[yaml.SafeLoader] | type[yaml.CSafeLoader]] = [yaml.SafeLoader]
    if yaml.__with_libyaml__:
        loaders.insert(0, yaml.CSafeLoader)
    for loader in loaders:
        level = 0
        try:
            for event in yaml.parse(text, Loader=loader):
                if isinstance(event, yaml.CollectionStartEvent):
                    level += 1
                    mark = event.start_mark
                    if level > max_depth and mark is not None:
                        return mark.line + 1, mark.column + 1
                elif isinstance(event, yaml.CollectionEndEvent):
                    level -= 1
        except yaml.YAMLError:
            continue
        return 0, 0
    return 0, 0
