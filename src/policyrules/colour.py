"""Colour on terminals only: the status tags of ``eval`` and ``explain`` text.

Colour is used when the stream is a terminal and ``TERM`` is not ``dumb``, unless
``NO_COLOR`` is set to anything but the empty string (https://no-color.org); ``FORCE_COLOR``
set to anything but the empty string turns it on even into a pipe (as CI logs want).
``NO_COLOR`` wins over ``FORCE_COLOR``.  Only whole tags at the start of a line are
painted (``[ELIGIBLE]`` green, ``[NOT ELIGIBLE]`` and ``[NOT MET]`` red, ``[UNKNOWN]`` and
``[DUE]`` yellow, ``[MET]`` green; the Chinese ``【符合条件】``, ``【不符合条件】``, ``【待定】``...
alike), by :mod:`rich`'s style rendering (SGR codes, no layout):
the text is otherwise byte for byte what a pipe receives.

>>> paint("[ELIGIBLE] x\\n  [UNKNOWN] kept")
'\\x1b[1;32m[ELIGIBLE]\\x1b[0m x\\n  [UNKNOWN] kept'
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import TextIO

from rich.color import ColorSystem
from rich.style import Style

from .vocab import PENDING_UNDATED, STATUSES, STATUSES_ENCOURAGED, STATUSES_OF_KIND

__all__ = ["paint", "use_colour"]

_STYLES = {
    "ELIGIBLE": Style(color="green", bold=True),
    "MET": Style(color="green", bold=True),
    "NOT ELIGIBLE": Style(color="red", bold=True),
    "NOT MET": Style(color="red", bold=True),
    "UNKNOWN": Style(color="yellow", bold=True),
    "DUE": Style(color="yellow", bold=True),
}
# The Chinese text's tags (policyrules.explain_zh, in policyrules.vocab's words), coloured as
# their English twins; a pending deadline or target is due.
_TWIN = {"met": "MET", "not_met": "NOT MET", "pending": "DUE"}
_STYLES_ZH = {word: _STYLES[status.replace("_", " ").upper()] for status, word in STATUSES.items()}
for _own in STATUSES_OF_KIND.values():
    _STYLES_ZH.update({word: _STYLES[_TWIN[status]] for status, word in _own.items()})
_STYLES_ZH[PENDING_UNDATED] = _STYLES["DUE"]
# Missing what the document only encourages breaks no requirement: not red.
for _own in STATUSES_ENCOURAGED.values():
    _STYLES_ZH.update({_own["met"]: _STYLES["MET"], _own["not_met"]: _STYLES["DUE"]})
_TAG = re.compile(r"^\[(" + "|".join(map(re.escape, _STYLES)) + r")\]", re.MULTILINE)
_TAG_ZH = re.compile(r"^【(" + "|".join(map(re.escape, _STYLES_ZH)) + r")】", re.MULTILINE)


def use_colour(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to colour what is written to ``stream`` (see the module's rule)."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def paint(text: str) -> str:
    """``text`` with the status tags that begin its lines in colour."""
    text = _TAG.sub(
        lambda m: _STYLES[m.group(1)].render(m.group(), color_system=ColorSystem.STANDARD), text
    )
    return _TAG_ZH.sub(
        lambda m: _STYLES_ZH[m.group(1)].render(m.group(), color_system=ColorSystem.STANDARD),
        text,
    )
