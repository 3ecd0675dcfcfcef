"""Diagnostics while typing: the parser's and the checker's own findings, for every file of
the policy directory, as the protocol's diagnostics.

Each keeps its code (``E203``), its message and its span; the hint (``did you mean
'approved_on'?``) and the clause it lies in follow the message on lines of their own, which
every editor shows.  A finding without a file (the directory cannot be read) is shown at the
top of the file being edited.
"""

from __future__ import annotations

from collections.abc import Callable

from lsprotocol import types as lsp
from pygls.workspace import PositionCodec

from ..errors import Diagnostic, Span
from .analysis import Analysis
from .ranges import lines_of, span_range

__all__ = ["by_file", "to_lsp"]

_SEVERITY = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning}


def to_lsp(d: Diagnostic, text: str, codec: PositionCodec) -> lsp.Diagnostic:
    """One finding as the editor shows it (no span: the first character of the file)."""
    span = d.span or Span("", 1, 1, 1, 2)
    message = d.message
    if d.hint:
        message += f"\nhint: {d.hint}"
    if d.span is not None and d.span.clause_path:
        message += f"\nin: {' > '.join(d.span.clause_path)}"
    return lsp.Diagnostic(
        range=span_range(span, lines_of(text), codec),
        message=message,
        severity=_SEVERITY.get(d.severity, lsp.DiagnosticSeverity.Error),
        code=d.code,
        source="policyrules",
    )


def by_file(
    analysis: Analysis, edited: str, codec: PositionCodec, text_of: Callable[[str], str]
) -> dict[str, list[lsp.Diagnostic]]:
    """Every file of the analysed policy and its diagnostics (an empty list clears the
    editor's); ``edited`` is the file the change came from, ``text_of`` gives a file's text."""
    out = {
        file: [to_lsp(d, text_of(file), codec) for d in found]
        for file, found in analysis.diagnostics.items()
    }
    if analysis.unplaced:
        out.setdefault(edited, []).extend(
            to_lsp(d, text_of(edited), codec) for d in analysis.unplaced
        )
    return out
