"""Diagnostics while typing: the parser's and the checker's own findings, for every file of
the policy directory, as the protocol's diagnostics.

Each keeps its code (``E203``), its message and its span; the hint (``did you mean
'approved_on'?``) and the clause it lies in follow the message on lines of their own, which
every editor shows.  A finding without a file (the directory cannot be read) is shown at the
top of the file being edited.

While a file the editor does not have open fails to parse (a scratch file left in the
directory), the policy is not checked and its names cannot be looked up: each file that
parses says so at its top, as information, naming the broken file.  A broken file that is
open needs no such word: its own syntax error is in view.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection

from lsprotocol import types as lsp

from ..errors import Diagnostic, Span
from .analysis import Analysis
from .ranges import index_of

__all__ = ["by_file", "to_lsp"]

_SEVERITY = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning}


def to_lsp(d: Diagnostic, text: str, encoding: str) -> lsp.Diagnostic:
    """One finding as the editor shows it, its range in ``text`` (the editor's) counted
    in ``encoding`` (no span: the first character of the file)."""
    span = d.span or Span("", 1, 1, 1, 2)
    message = d.message
    if d.hint:
        message += f"\nhint: {d.hint}"
    if d.span is not None and d.span.clause_path:
        message += f"\nin: {' > '.join(d.span.clause_path)}"
    return lsp.Diagnostic(
        range=index_of(text).span_range(span, encoding),
        message=message,
        severity=_SEVERITY.get(d.severity, lsp.DiagnosticSeverity.Error),
        code=d.code,
        source="policyrules",
    )


def by_file(
    analysis: Analysis,
    edited: str,
    encoding: str,
    text_of: Callable[[str], str],
    opened: Collection[str] = (),
) -> dict[str, list[lsp.Diagnostic]]:
    """Every file of the analysed policy and its diagnostics (an empty list clears the
    editor's); ``edited`` is the file the change came from, ``text_of`` gives a file's text
    as the editor holds it, ``opened`` are the files open in the editor."""
    out = {
        file: [to_lsp(d, text_of(file), encoding) for d in found]
        for file, found in analysis.diagnostics.items()
    }
    unseen = sorted(
        os.path.basename(f) for f in analysis.texts if f not in analysis.modules and f not in opened
    )
    if unseen:
        note = lsp.Diagnostic(
            range=lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)),
            message=f"not checked: {', '.join(unseen)} in this directory "
            + ("does" if len(unseen) == 1 else "do")
            + " not parse",
            severity=lsp.DiagnosticSeverity.Information,
            source="policyrules",
        )
        for file in analysis.modules:
            out[file].append(note)
    if analysis.unplaced:
        out.setdefault(edited, []).extend(
            to_lsp(d, text_of(edited), encoding) for d in analysis.unplaced
        )
    return out
