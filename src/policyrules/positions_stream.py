"""Where one path of a YAML or JSON document starts, found from the parser's events up to
it: no node is built, nothing after it is read.  For an error about a value too large to
compose the document around it (a list of millions of items: see
:mod:`policyrules.bounds_items`), where :class:`policyrules.positions.Places` would build
a node for every item first."""

from __future__ import annotations

import re

import yaml

__all__ = ["stream_place"]

_PATH_PART = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")
_NODE = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)
_END = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def stream_place(text: str, path: str) -> tuple[int, int, int] | None:
    """``(line, col, end_col)`` (from 1) where the value at ``path`` (``firms[0].ms``;
    ``""``: the document) starts; ``None`` if it is not found (a merge key on the way, or
    text the parser refuses)."""
    want: list[int | str] = [
        int(index) if index else key
        for index, key in _PATH_PART.findall(path)  # (a key is never empty)
    ]
    # One frame per open container: [is a mapping, next index or key, the key read last].
    frames: list[list[object]] = []
    at: list[int | str] = []  # the path of the open containers
    loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, _END):
                frames.pop()
                if at:
                    at.pop()
                continue
            if not isinstance(event, _NODE):
                continue
            if frames:
                frame = frames[-1]
                if frame[0]:  # a mapping: a key, then its value
                    if frame[1] is None:
                        if not isinstance(event, yaml.ScalarEvent) or event.value == "<<":
                            return None
                        frame[1] = event.value
                        continue
                    here: int | str = str(frame[1])
                    frame[1] = None
                else:
                    here = int(str(frame[1]))
                    frame[1] = here + 1
                mine = [*at, here]
            else:
                mine = []
            if mine == want:
                start, end = event.start_mark, event.end_mark
                if start is None or end is None:
                    return None
                end_col = end.column + 1 if end.line == start.line else start.column + 2
                return (start.line + 1, start.column + 1, max(end_col, start.column + 2))
            if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                frames.append([isinstance(event, yaml.MappingStartEvent), None, None])
                if frames[-1][0] is False:
                    frames[-1][1] = 0
                if mine:
                    at.append(mine[-1])
    except yaml.YAMLError:
        return None
    return None
