"""Positions between the library and the editor.

The library counts lines and columns from 1 in characters (code points), a span's end
column exclusive, over a text without its byte-order mark whose lines end at ``\\n`` (as
lark counts them).  The protocol counts from 0 in the units the client and server agreed
on (UTF-16 by default, UTF-8 or UTF-32 if the client offered them), over the text as the
editor holds it, whose lines end at ``\\r\\n``, ``\\r`` or ``\\n`` and nowhere else: a form
feed, U+0085 or U+2028 in a quote is not a line end for the editor, though Python's
``str.splitlines`` takes it for one.  The library is given each lone ``\\r`` as ``\\n``
(:func:`policyrules.lsp.analysis.library_text`), so its lines are the editor's.
:class:`TextIndex` converts between the two through offsets into the text, so a 中, an
emoji or a 𠮷 lands where the editor shows it.
"""

from __future__ import annotations

import bisect
import functools
import re

import attrs
from lsprotocol import types as lsp

from ..errors import Span

__all__ = ["TextIndex", "apply_change", "index_of", "units"]

_LINE_END = re.compile(r"\r\n|\r|\n")
_BOM = "\ufeff"


def units(text: str, encoding: str) -> int:
    """The length of ``text`` in the protocol's ``encoding`` (``utf-8``, ``utf-16`` or
    ``utf-32``; anything else counts as UTF-16, the protocol's default)."""
    if encoding == "utf-32":
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@attrs.frozen
class TextIndex:
    """Where the lines of one text begin, for the editor and for the library.

    ``starts`` are the offsets (in characters) of the editor's lines; ``lib_starts`` those
    of the library's: the same lines, the first after a byte-order mark."""

    text: str
    starts: tuple[int, ...]
    lib_starts: tuple[int, ...]

    def _content_end(self, line: int) -> int:
        """The offset where the editor's ``line`` (from 0) ends, before its line end."""
        if line + 1 >= len(self.starts):
            return len(self.text)
        end = self.starts[line + 1]
        while end > self.starts[line] and self.text[end - 1] in "\r\n":
            end -= 1
        return end

    def offset(self, position: lsp.Position, encoding: str) -> int:
        """The offset of an editor position; past the end of a line is its end, past the
        last line the end of the text, inside a character (half a surrogate pair, a byte
        of a UTF-8 sequence) the character's end."""
        if position.line >= len(self.starts):
            return len(self.text)
        at, end = self.starts[position.line], self._content_end(position.line)
        if encoding == "utf-32":
            return min(at + position.character, end)
        counted = 0
        while at < end and counted < position.character:
            counted += units(self.text[at], encoding)
            at += 1
        return at

    def position(self, offset: int, encoding: str) -> lsp.Position:
        """The editor position of an offset (clamped to the text)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        offset = min(offset, self._content_end(line))  # never inside a \r\n
        return lsp.Position(line, units(self.text[self.starts[line] : offset], encoding))

    def from_client(self, position: lsp.Position, encoding: str) -> tuple[int, int]:
        """The library's (line, column), from 1, of an editor position."""
        offset = max(self.offset(position, encoding), self.lib_starts[0])
        line = bisect.bisect_right(self.lib_starts, offset) - 1
        return line + 1, offset - self.lib_starts[line] + 1

    def to_client(self, line: int, col: int, encoding: str) -> lsp.Position:
        """The editor position of the library's (line, column), from 1."""
        row = max(0, min(line - 1, len(self.lib_starts) - 1))
        last = self.lib_starts[row + 1] - 1 if row + 1 < len(self.lib_starts) else len(self.text)
        return self.position(min(self.lib_starts[row] + max(col - 1, 0), last), encoding)

    def span_range(self, span: Span, encoding: str) -> lsp.Range:
        """The editor's range of a span (an empty span is widened to one character)."""
        end_col = (
            span.end_col if (span.end_line, span.end_col) > (span.line, span.col) else span.col + 1
        )
        return lsp.Range(
            start=self.to_client(span.line, span.col, encoding),
            end=self.to_client(span.end_line, end_col, encoding),
        )

    def whole_range(self, encoding: str) -> lsp.Range:
        """From the start of the text to its end: what a whole-document edit replaces."""
        return lsp.Range(lsp.Position(0, 0), self.position(len(self.text), encoding))


@functools.lru_cache(maxsize=16)
def index_of(text: str) -> TextIndex:
    """The line index of a text (kept: the same text is converted many times)."""
    starts = (0, *(m.end() for m in _LINE_END.finditer(text)))
    bom = 1 if text.startswith(_BOM) else 0
    return TextIndex(text, starts, (bom, *starts[1:]))


def apply_change(text: str, change: lsp.TextDocumentContentChangeEvent, encoding: str) -> str:
    """A text after one change of a ``didChange`` notification: a range replaced (its
    positions in the editor's units) or the whole text."""
    if isinstance(change, lsp.TextDocumentContentChangePartial):
        index = index_of(text)
        start = index.offset(change.range.start, encoding)
        end = index.offset(change.range.end, encoding)
        start, end = min(start, end), max(start, end)
        return text[:start] + change.text + text[end:]
    return change.text
