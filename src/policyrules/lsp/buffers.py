"""The editor's open documents: their text, kept by applying each ``didChange`` with the
protocol's own line ends (:mod:`policyrules.lsp.ranges`), not pygls's document store, which
splits lines at a form feed or U+2028 in a quote and so applies an edit below one to the
wrong line.

A document is known by its file's absolute path, or by its URI when it is not a file
(``untitled:``): such a buffer can be completed and formatted, but belongs to no policy.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import attrs
from lsprotocol import types as lsp
from pygls import uris

from ..errors import PolicyRulesError
from ..rule_files import read_rule_files
from .ranges import apply_change

__all__ = ["Buffer", "Buffers", "path_of"]


def path_of(uri: str) -> str | None:
    """The absolute path of a ``file:`` URI, or ``None`` for any other scheme."""
    path = uris.to_fs_path(uri)
    return os.path.abspath(path) if path else None


@attrs.frozen
class Buffer:
    """One open document: the URI the editor calls it by, its file (``None`` when not a
    file), its text as the editor holds it and the version the editor gave that text."""

    uri: str
    path: str | None
    text: str
    version: int | None = None


class Buffers:
    """The open documents, by :meth:`key`."""

    def __init__(self) -> None:
        self._open: dict[str, Buffer] = {}

    @staticmethod
    def key(uri: str) -> str:
        """A document's file path, or its URI when it is not a file."""
        return path_of(uri) or uri

    def open(self, uri: str, text: str, version: int | None = None) -> Buffer:
        buffer = Buffer(uri, path_of(uri), text, version)
        self._open[self.key(uri)] = buffer
        return buffer

    def change(
        self,
        uri: str,
        changes: Sequence[lsp.TextDocumentContentChangeEvent],
        encoding: str,
        version: int | None = None,
    ) -> Buffer | None:
        """Apply a ``didChange``'s changes in order, the text now at ``version``; ``None``
        for a document never opened."""
        buffer = self._open.get(self.key(uri))
        if buffer is None:
            return None
        text = buffer.text
        for change in changes:
            text = apply_change(text, change, encoding)
        buffer = attrs.evolve(buffer, text=text, version=version)
        self._open[self.key(uri)] = buffer
        return buffer

    def close(self, uri: str) -> None:
        self._open.pop(self.key(uri), None)

    def get(self, key: str) -> Buffer | None:
        return self._open.get(key)

    def text(self, uri: str) -> str | None:
        """The editor's text of a document, or (not open) its file's, or ``None`` when
        it has none that can be read."""
        buffer = self._open.get(self.key(uri))
        if buffer is not None:
            return buffer.text
        path = path_of(uri)
        if path is None or not path.endswith(".rule"):
            return None
        try:
            return read_rule_files(path)[str(Path(path))]
        except (PolicyRulesError, OSError):
            return None

    def in_directory(self, directory: Path) -> dict[str, Buffer]:
        """The open ``.rule`` files of ``directory``: path -> buffer."""
        return {
            b.path: b
            for b in self._open.values()
            if b.path is not None and b.path.endswith(".rule") and Path(b.path).parent == directory
        }
