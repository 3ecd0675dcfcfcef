"""The language server: pygls's :class:`~pygls.lsp.server.LanguageServer` on standard input
and output (``policyrules lsp``), wired to the features of this package.

The open documents are kept by :mod:`policyrules.lsp.buffers`.  Every open, change, save or
close of a ``.rule`` file asks for a re-analysis of the policy directory it belongs to (open
buffers over the files on disk), made once the editor has been quiet for :data:`SETTLE`
seconds: changes that come faster than the policy is checked are checked together, not one
after another.  Analyses run in a thread of their own, one at a time, so that requests are
answered while a long one runs; each publishes the diagnostics of every file of the
directory (with the documents' versions it analysed; never after a later analysis of the
directory), and clears those of a file that has left it (a buffer closed unsaved, a file
deleted).

Hover, definition and completion use the last analysis in which every file parsed, so they
keep working while a line is half typed; positions are carried over the lines changed
since (:mod:`policyrules.lsp.drift`).  On a line changed since, they wait for the analysis
of the text as it is.  Completion and formatting are computed in other threads too
(asyncio's default executor), so that neither holds up the messages behind it.
"""

from __future__ import annotations

import asyncio
import faulthandler
import functools
import os
import re
import signal
import sys
from collections.abc import Generator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NoReturn

import attrs
from lsprotocol import types as lsp
from pygls import uris
from pygls.lsp.server import LanguageServer
from pygls.protocol import JsonRPCNotification, JsonRPCRequestMessage, LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

from .. import __version__
from ..errors import Span
from .analysis import Analysis, analyse, library_text
from .buffers import Buffer, Buffers, path_of
from .completion import completions
from .definition import definition_span
from .diagnostics import by_file
from .drift import drift
from .formatting import formatted
from .hover import hover_markdown
from .params import unread_field
from .ranges import index_of

__all__ = ["SETTLE", "build_server", "main"]

SETTLE = 0.05
"""Seconds without a change to a policy's files before it is analysed again."""

_BOM = "\ufeff"
_LINE_END = re.compile(r"\r\n|\r|\n")

_KINDS = {
    "keyword": lsp.CompletionItemKind.Keyword,
    "entity": lsp.CompletionItemKind.Class,
    "fact": lsp.CompletionItemKind.Field,
    "member": lsp.CompletionItemKind.EnumMember,
    "parameter": lsp.CompletionItemKind.Constant,
    "assumption": lsp.CompletionItemKind.Variable,
    "define": lsp.CompletionItemKind.Function,
    "table": lsp.CompletionItemKind.Struct,
    "builtin": lsp.CompletionItemKind.Function,
}


@attrs.frozen
class _Refused:
    """A request whose parameters do not read as its method's (a position at line -1): it
    is answered at once with the protocol's InvalidParams error."""

    id: int | str
    method: str
    reason: str


@attrs.frozen
class _Dropped:
    """A notification whose parameters do not read as its method's: nothing can answer it,
    so it is dropped and the editor told why, in its log (``window/logMessage``)."""

    method: str
    reason: str


class _Protocol(LanguageServerProtocol):
    """pygls's protocol without its own handling of ``didChange``: its document store
    counts a form feed or U+2028 as a line end and, reading a change's range against the
    wrong line, clamps the range's positions in place before our handler sees them.  The
    change goes to :class:`~policyrules.lsp.buffers.Buffers` untouched.

    A request whose parameters cannot be read is answered with an InvalidParams error:
    pygls raises inside its reader, logs a traceback and answers nothing, and the editor
    waits for the answer for ever.  A notification whose parameters cannot be read is
    dropped with one line in the editor's log saying which and why (pygls wrote a traceback
    to standard error and showed a generic error: a change dropped so leaves the server's
    text behind the editor's, unexplained)."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        if "jsonrpc" in data and "method" in data and "error" not in data:
            method = str(data["method"])
            if "id" in data:
                kind = self.get_message_type(method) or JsonRPCRequestMessage
            else:
                kind = self.get_message_type(method) or JsonRPCNotification
            try:
                return self._converter.structure(data, kind)
            except Exception as exc:  # cattrs's ClassValidationError, or a value's own
                if "id" in data:
                    return _Refused(data["id"], method, unread_field(exc, data))
                return _Dropped(method, unread_field(exc, data))
        return super().structure_message(data)

    def handle_message(self, message: Any) -> None:
        if isinstance(message, _Refused):
            error = lsp.ResponseError(
                lsp.ErrorCodes.InvalidParams,
                f"{message.method}: invalid params: {message.reason}",
            )
            self._send_response(message.id, None, error)
            return
        if isinstance(message, _Dropped):
            said = f"{message.method}: invalid params, notification ignored: {message.reason}"
            if message.method == lsp.TEXT_DOCUMENT_DID_CHANGE:
                said += " (the server's text of the document may now differ: reopen it)"
            self.notify(
                lsp.WINDOW_LOG_MESSAGE,
                lsp.LogMessageParams(type=lsp.MessageType.Error, message=said),
            )
            return
        super().handle_message(message)

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: lsp.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None


class _State:
    """The open documents and the analyses of the policy directories they are in.

    Analyses run one at a time in a thread of their own, so requests are answered while a
    long one runs.  Each is numbered when asked for; a result is published only when no
    later-numbered one of its directory has been (a stale analysis never replaces a newer
    one), with the diagnostics placed in the texts it analysed and the documents' versions
    they had."""

    def __init__(self, server: LanguageServer) -> None:
        self.server = server
        self.buffers = Buffers()
        self.last: dict[Path, Analysis] = {}
        self.parsed: dict[Path, Analysis] = {}  # the last analysis whose files all parsed
        self.shown: dict[Path, dict[str, str]] = {}  # the files given diagnostics: path -> URI
        self.pending: dict[Path, asyncio.TimerHandle] = {}
        self.running: dict[Path, asyncio.Future[Analysis]] = {}  # the last one asked for
        self.asked: dict[Path, int] = {}  # the number of the last analysis asked for
        self.published: dict[Path, int] = {}  # the number of the last one published
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="policyrules-analysis")
        self.shut_down = False

    @property
    def encoding(self) -> str:
        """The position encoding agreed with the client: utf-8, utf-16 or utf-32."""
        agreed = self.server.workspace.position_encoding
        if isinstance(agreed, lsp.PositionEncodingKind):
            return agreed.value
        return agreed or lsp.PositionEncodingKind.Utf16.value

    def schedule(self, path: str | None) -> None:
        """Re-analyse the policy of ``path`` once the editor settles."""
        if path is None or not path.endswith(".rule"):
            return
        directory = Path(path).parent
        if (handle := self.pending.pop(directory, None)) is not None:
            handle.cancel()
        loop = asyncio.get_running_loop()
        self.pending[directory] = loop.call_later(SETTLE, self.refresh, directory, path)

    def shown_text(self, path: str, analysis: Analysis) -> str:
        """A file's text as the editor has it: its buffer's, else the analysed one."""
        buffer = self.buffers.get(path)
        return buffer.text if buffer is not None else analysis.texts.get(path, "")

    def refresh(self, directory: Path, edited: str) -> asyncio.Future[Analysis]:
        """Ask for an analysis of a policy directory now (in the worker thread); its
        diagnostics are published when it is done, unless a later one was published first."""
        if (handle := self.pending.pop(directory, None)) is not None:
            handle.cancel()
        opened = self.buffers.in_directory(directory)  # the texts as they are now
        number = self.asked[directory] = self.asked.get(directory, 0) + 1
        texts = {path: b.text for path, b in opened.items()}
        running = asyncio.get_running_loop().run_in_executor(self.worker, analyse, directory, texts)
        running.add_done_callback(
            functools.partial(self._analysed, directory, edited, number, opened)
        )
        self.running[directory] = running
        return running

    def _analysed(
        self,
        directory: Path,
        edited: str,
        number: int,
        opened: dict[str, Buffer],
        running: asyncio.Future[Analysis],
    ) -> None:
        """Keep and publish a finished analysis (on the event loop)."""
        if running.cancelled():
            return
        if (failed := running.exception()) is not None:  # a fault of ours, not of the input
            self.server.window_log_message(
                lsp.LogMessageParams(
                    lsp.MessageType.Error, f"the analysis of {directory} failed: {failed!r}"
                )
            )
            return
        if number < self.published.get(directory, 0):
            return  # a later analysis is out already
        self.published[directory] = number
        analysis = running.result()
        self.last[directory] = analysis
        if analysis.policy is not None:
            self.parsed[directory] = analysis
        found = by_file(
            analysis,
            edited,
            self.encoding,
            lambda f: opened[f].text if f in opened else analysis.texts.get(f, ""),
            opened=opened,
        )
        shown: dict[str, str] = {}
        for path, diagnostics in found.items():
            buffer = opened.get(path)
            shown[path] = buffer.uri if buffer else (uris.from_fs_path(path) or path)
            self._publish(shown[path], diagnostics, buffer.version if buffer else None)
        for path, uri in self.shown.get(directory, {}).items():
            if path not in shown:  # no longer a file of the policy: clear what it showed
                self._publish(uri, [], None)
        self.shown[directory] = shown

    def _publish(self, uri: str, diagnostics: list[lsp.Diagnostic], version: int | None) -> None:
        self.server.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    async def settled(self, directory: Path, edited: str) -> None:
        """Wait for the analysis of the directory's texts as they are now: the one waiting
        for the editor to settle is asked for at once, the one running is waited for."""
        if directory in self.pending:
            self.refresh(directory, edited)
        if (running := self.running.get(directory)) is not None and not running.done():
            # Waited for, not awaited: a request given up does not cancel the analysis, and
            # an analysis that failed (logged by _analysed) leaves the request the last one.
            await asyncio.wait({running})

    async def analysis(self, path: str) -> Analysis | None:
        """The analysis to look names up in for the file ``path``."""
        directory = Path(path).parent
        if directory not in self.last:
            if directory not in self.running:
                self.refresh(directory, path)
            await self.settled(directory, path)
        if directory not in self.parsed:
            # Opened with a line half typed: the names are those of the files on disk.
            loop = asyncio.get_running_loop()
            on_disk = await loop.run_in_executor(self.worker, analyse, directory, {})
            if on_disk.policy is not None:
                self.parsed.setdefault(directory, on_disk)
        return self.parsed.get(directory)

    async def at(self, uri: str, position: lsp.Position) -> tuple[Analysis, str, int, int] | None:
        """What a hover or definition at a position looks up in: the analysis, the file's
        path and the position's line and column in the analysed text; ``None`` when there
        is no analysis or the position is on a line changed since it was made."""
        path, text = path_of(uri), self.buffers.text(uri)
        if path is None or text is None or not path.endswith(".rule"):
            return None
        analysis = await self.analysis(path)
        text = self.buffers.text(uri) or ""  # as it is now
        analysed = analysis.texts.get(path) if analysis is not None else None
        if analysis is None or analysed is None:
            return None
        line, col = index_of(text).from_client(position, self.encoding)
        old = drift(analysed, library_text(text.removeprefix(_BOM))).to_old(line)
        directory = Path(path).parent
        running = self.running.get(directory)
        if old is None and (directory in self.pending or (running and not running.done())):
            await self.settled(directory, path)  # typed just now: look once it is analysed
            return await self.at(uri, position)
        return None if old is None else (analysis, path, old, col)

    def where(self, analysis: Analysis, span: Span) -> lsp.Location:
        """The editor's location of a span of the analysed text, carried over the lines
        changed in its file's buffer since."""
        shown = self.shown_text(span.file, analysis)
        moved = drift(analysis.texts.get(span.file, ""), library_text(shown.removeprefix(_BOM)))
        line = moved.near_new(span.line)
        span = attrs.evolve(span, line=line, end_line=line + span.end_line - span.line)
        buffer = self.buffers.get(span.file)
        return lsp.Location(
            uri=buffer.uri if buffer else (uris.from_fs_path(span.file) or span.file),
            range=index_of(shown).span_range(span, self.encoding),
        )

    async def complete(self, uri: str, position: lsp.Position) -> list[lsp.CompletionItem]:
        path = path_of(uri)
        if self.buffers.text(uri) is None or path is None or not path.endswith(".rule"):
            return []
        directory = Path(path).parent
        analysis = await self.analysis(path) or self.last.get(directory)
        text = self.buffers.text(uri)
        if text is None:  # closed meanwhile
            return []
        if analysis is None:
            return []
        # Computed in another thread (the text and the analysis are read here, and neither
        # changes): a long one holds up no other message.
        encoding = self.encoding
        return await asyncio.to_thread(_completion_items, analysis, path, text, position, encoding)

    async def format(self, uri: str) -> list[lsp.TextEdit] | None:
        """The edit making the buffer of ``uri`` the formatter's text (none: it does not
        parse, or is closed), made in another thread, as completion is."""
        text = self.buffers.text(uri)
        if text is None:
            return None
        return await asyncio.to_thread(_format_edits, text, path_of(uri) or uri, self.encoding)


def _completion_items(
    analysis: Analysis, path: str, text: str, position: lsp.Position, encoding: str
) -> list[lsp.CompletionItem]:
    """The completions at ``position`` of the buffer ``text`` of ``path``, under the last
    analysis that parsed (its positions carried over the lines changed since)."""
    analysed = analysis.texts.get(path)
    body = library_text(text.removeprefix(_BOM))
    line, col = index_of(text).from_client(position, encoding)
    there = None
    if analysed is not None:
        moved = drift(analysed, body)
        if (old := moved.to_old(line)) is not None:
            there = (old, col)
        else:  # a line being written: the scope of the line it replaced or follows
            near = moved.near_old(line)
            old_line = analysed.split("\n")[near - 1]
            there = (near, len(old_line) - len(old_line.lstrip()) + 1)
    return [
        lsp.CompletionItem(
            label=item.label,
            kind=_KINDS.get(item.kind),
            detail=item.detail,
            documentation=item.documentation,
        )
        for item in completions(analysis, path, body, line, col, there)
    ]


def _format_edits(text: str, file: str, encoding: str) -> list[lsp.TextEdit] | None:
    """The edit (if any) making ``text`` the formatter's, its line ends kept; ``None``
    when it does not parse."""
    new = formatted(library_text(text), file)
    if new is None:
        return None
    first = _LINE_END.search(text)
    if first is not None and first.group() != "\n":  # the file's line ends are kept
        new = new.replace("\n", first.group())
    if new == text:
        return []
    return [lsp.TextEdit(range=index_of(text).whole_range(encoding), new_text=new)]


def _build() -> tuple[LanguageServer, _State]:
    server = LanguageServer("policyrules", __version__, protocol_cls=_Protocol)
    state = _State(server)

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: LanguageServer, params: None) -> None:
        state.shut_down = True

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        state.schedule(state.buffers.open(doc.uri, doc.text, doc.version).path)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
        doc = params.text_document
        buffer = state.buffers.change(doc.uri, params.content_changes, state.encoding, doc.version)
        state.schedule(buffer.path if buffer is not None else None)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: LanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
        state.schedule(path_of(params.text_document.uri))

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
        state.buffers.close(params.text_document.uri)
        state.schedule(path_of(params.text_document.uri))  # the file on disk counts again

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(ls: LanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
        at = await state.at(params.text_document.uri, params.position)
        text = hover_markdown(*at) if at is not None else None
        if text is None:
            return None
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text))

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    async def definition(ls: LanguageServer, params: lsp.DefinitionParams) -> lsp.Location | None:
        at = await state.at(params.text_document.uri, params.position)
        span = definition_span(*at) if at is not None else None
        if at is None or span is None:
            return None
        return state.where(at[0], span)

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[".", "="])
    )
    async def completion(ls: LanguageServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        items = await state.complete(params.text_document.uri, params.position)
        return lsp.CompletionList(is_incomplete=False, items=items)

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    async def formatting(
        ls: LanguageServer, params: lsp.DocumentFormattingParams
    ) -> list[lsp.TextEdit] | None:
        return await state.format(params.text_document.uri)

    return server, state


def build_server() -> LanguageServer:
    """A language server for ``.rule`` files, not yet started."""
    return _build()[0]


def main() -> NoReturn:
    """Serve on standard input and output until the editor says exit, then end the
    process: its exit code is 0 when a shutdown request came before, else 1 (the
    protocol's rule).  Run as a process of its own (``policyrules lsp``), never in one that
    has more to do.  SIGUSR1 writes the stack of each of its threads to standard error (a
    server that seems stuck tells where)."""
    server, state = _build()
    if hasattr(signal, "SIGUSR1"):  # `kill -USR1 PID`: where each thread is, on stderr
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    server.start_io()
    code = 0 if state.shut_down else 1
    # The conversation is over.  End the process now: at interpreter exit it would wait for
    # every thread still alive (pygls's reader of standard input among them, in a read the
    # editor may never end: a client waits for the process before closing its pipes).
    sys.stderr.flush()
    os._exit(code)
