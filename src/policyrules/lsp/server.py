"""The language server: pygls's :class:`~pygls.lsp.server.LanguageServer` on standard input
and output (``policyrules lsp``), wired to the features of this package.

Every open, change, save or close of a ``.rule`` file re-analyses the policy directory it
belongs to (open buffers over the files on disk) and publishes the diagnostics of each of
its files.  Hover, definition and completion use the last analysis in which every file
parsed, so they keep working while a line is half typed.
"""

from __future__ import annotations

import os
from pathlib import Path

from lsprotocol import types as lsp
from pygls import uris
from pygls.lsp.server import LanguageServer

from .. import __version__
from .analysis import Analysis, analyse
from .completion import completions
from .definition import definition_span
from .diagnostics import by_file
from .formatting import formatted
from .hover import hover_markdown
from .ranges import lines_of, position_from_client, span_range, whole_range

__all__ = ["build_server", "main"]

_KINDS = {
    "keyword": lsp.CompletionItemKind.Keyword,
    "entity": lsp.CompletionItemKind.Class,
    "fact": lsp.CompletionItemKind.Field,
    "member": lsp.CompletionItemKind.EnumMember,
    "parameter": lsp.CompletionItemKind.Constant,
    "assumption": lsp.CompletionItemKind.Variable,
    "define": lsp.CompletionItemKind.Function,
}


class _State:
    """The analyses of the policy directories the editor has files open in."""

    def __init__(self, server: LanguageServer) -> None:
        self.server = server
        self.last: dict[Path, Analysis] = {}
        self.parsed: dict[Path, Analysis] = {}  # the last analysis whose files all parsed

    def path_of(self, uri: str) -> str:
        return os.path.abspath(uris.to_fs_path(uri) or uri)

    def text_of(self, file: str, analysis: Analysis) -> str:
        return analysis.texts.get(file, "")

    def refresh(self, uri: str) -> None:
        """Re-analyse the policy of ``uri`` and publish every file's diagnostics."""
        file = self.path_of(uri)
        if not file.endswith(".rule"):
            return
        directory = Path(file).parent
        docs = self.server.workspace.text_documents.values()
        buffers = {self.path_of(d.uri): d.source for d in docs}
        opened = {self.path_of(d.uri): d.uri for d in docs}
        analysis = analyse(directory, buffers)
        self.last[directory] = analysis
        if analysis.policy is not None:
            self.parsed[directory] = analysis
        codec = self.server.workspace.position_codec
        found = by_file(analysis, file, codec, lambda f: self.text_of(f, analysis))
        for path, diagnostics in found.items():
            self.server.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(
                    uri=opened.get(path) or uris.from_fs_path(path) or path,
                    diagnostics=diagnostics,
                )
            )

    def analysis(self, uri: str) -> Analysis | None:
        """The analysis to look names up in for ``uri``."""
        directory = Path(self.path_of(uri)).parent
        if directory not in self.last:
            self.refresh(uri)
        if directory not in self.parsed:
            # Opened with a line half typed: the names are those of the files on disk.
            on_disk = analyse(directory, {})
            if on_disk.policy is not None:
                self.parsed[directory] = on_disk
        return self.parsed.get(directory)

    def position(self, uri: str, position: lsp.Position) -> tuple[int, int]:
        doc = self.server.workspace.get_text_document(uri)
        return position_from_client(position, doc.lines, self.server.workspace.position_codec)

    def at(
        self, params: lsp.HoverParams | lsp.DefinitionParams
    ) -> tuple[Analysis, str, int, int] | None:
        """What a request at a position looks up in: the analysis, the file's path, the
        line and column; ``None`` when the policy has no analysis yet."""
        uri = params.text_document.uri
        analysis = self.analysis(uri)
        if analysis is None:
            return None
        return (analysis, self.path_of(uri), *self.position(uri, params.position))


def build_server() -> LanguageServer:
    """A language server for ``.rule`` files, not yet started."""
    server = LanguageServer("policyrules", __version__)
    state = _State(server)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
        state.refresh(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
        state.refresh(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: LanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
        state.refresh(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
        state.refresh(params.text_document.uri)  # the file on disk counts again

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: LanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
        at = state.at(params)
        text = hover_markdown(*at) if at is not None else None
        if text is None:
            return None
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text))

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: LanguageServer, params: lsp.DefinitionParams) -> lsp.Location | None:
        at = state.at(params)
        span = definition_span(*at) if at is not None else None
        if at is None or span is None:
            return None
        analysis = at[0]
        lines = lines_of(state.text_of(span.file, analysis))
        return lsp.Location(
            uri=uris.from_fs_path(span.file) or span.file,
            range=span_range(span, lines, ls.workspace.position_codec),
        )

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[".", "="])
    )
    def completion(ls: LanguageServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        uri = params.text_document.uri
        analysis = state.analysis(uri) or state.last.get(Path(state.path_of(uri)).parent)
        doc = ls.workspace.get_text_document(uri)
        line, col = state.position(uri, params.position)
        found = (
            []
            if analysis is None
            else completions(analysis, state.path_of(uri), doc.source, line, col)
        )
        return lsp.CompletionList(
            is_incomplete=False,
            items=[
                lsp.CompletionItem(
                    label=item.label,
                    kind=_KINDS.get(item.kind),
                    detail=item.detail,
                    documentation=item.documentation,
                )
                for item in found
            ],
        )

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def formatting(
        ls: LanguageServer, params: lsp.DocumentFormattingParams
    ) -> list[lsp.TextEdit] | None:
        doc = ls.workspace.get_text_document(params.text_document.uri)
        new = formatted(doc.source, state.path_of(doc.uri))
        if new is None:
            return None
        if new == doc.source:
            return []
        return [
            lsp.TextEdit(range=whole_range(doc.lines, ls.workspace.position_codec), new_text=new)
        ]

    return server


def main() -> None:
    """Serve on standard input and output until the editor says exit."""
    build_server().start_io()
