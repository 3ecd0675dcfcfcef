"""Positions between the library and the editor.

The library counts lines and columns from 1 in characters (code points), a span's end
column exclusive; the protocol counts from 0 in the units the client and server agreed on
(UTF-16 by default).  pygls's :class:`~pygls.workspace.PositionCodec` converts characters to
those units against the line's text, so a 中 or an emoji lands where the editor shows it.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types as lsp
from pygls.workspace import PositionCodec

from ..errors import Span

__all__ = ["lines_of", "position_from_client", "span_range", "whole_range"]


def lines_of(text: str) -> list[str]:
    """A text's lines as the protocol counts them (pygls keeps the line ends)."""
    return text.splitlines(keepends=True) or [""]


def span_range(span: Span, lines: Sequence[str], codec: PositionCodec) -> lsp.Range:
    """The editor's range of a span (an empty span is widened to one character)."""
    end_col = (
        span.end_col if (span.end_line, span.end_col) > (span.line, span.col) else span.col + 1
    )
    server = lsp.Range(
        start=lsp.Position(line=max(span.line - 1, 0), character=max(span.col - 1, 0)),
        end=lsp.Position(line=max(span.end_line - 1, 0), character=max(end_col - 1, 0)),
    )
    return codec.range_to_client_units(lines, server)


def position_from_client(
    position: lsp.Position, lines: Sequence[str], codec: PositionCodec
) -> tuple[int, int]:
    """The library's (line, column), from 1, of an editor position."""
    server = codec.position_from_client_units(lines, position)
    return server.line + 1, server.character + 1


def whole_range(lines: Sequence[str], codec: PositionCodec) -> lsp.Range:
    """From the start of a text to its end: what a whole-document edit replaces."""
    last = len(lines) - 1
    end = lsp.Position(line=last, character=len(lines[last]))
    if lines[last].endswith("\n"):
        end = lsp.Position(line=last + 1, character=0)
    server = lsp.Range(start=lsp.Position(line=0, character=0), end=end)
    return codec.range_to_client_units(lines, server)
