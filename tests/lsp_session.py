"""The language server's test harness: `policyrules lsp` started as an editor starts it, driven
by pygls's LanguageClient over its standard input and output.

A :class:`Session` runs its client on an event loop in a thread of its own; each test sends
notifications and requests to it and waits for the answers.  Import it by module name
(``from lsp_session import Session``): ``tests/`` is on ``sys.path``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types as lsp
from pygls import uris
from pygls.lsp.client import LanguageClient

__all__ = [
    "AMOUNTS",
    "COMMON",
    "EXIT_WAIT",
    "JJXF",
    "JYBF",
    "SERVER",
    "SHIPPED",
    "Session",
    "position_of",
]

SHIPPED = Path(__file__).resolve().parents[1] / "policies" / "beijing_2025"
JJXF = SHIPPED / "jjxf-2025-50.rule"
JYBF = SHIPPED / "jybf-2025-5.rule"
COMMON = SHIPPED / "common.rule"
AMOUNTS = SHIPPED.parent / "patterns" / "amounts.rule"
T = TypeVar("T")


STDERR_KEPT = 1 << 16
"""Bytes of the server's standard error a :class:`Session` keeps (the last ones)."""

EXIT_WAIT = 15
"""Seconds :meth:`Session.close` waits for the server to answer shutdown and then to exit."""

SERVER = (sys.executable, "-m", "policyrules", "lsp")


class Session:
    """A client and the server it started (``command``), on an event loop in a background
    thread; ``encodings`` are the position encodings the client offers (none: UTF-16);
    ``exit_wait`` bounds each wait of :meth:`close`."""

    def __init__(
        self,
        encodings: Sequence[str] = (),
        command: Sequence[str] = SERVER,
        exit_wait: float = EXIT_WAIT,
    ) -> None:
        self.exit_wait = exit_wait
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.published: dict[str, list[lsp.Diagnostic]] = {}
        self.versions: dict[str, int] = {}
        self.logged: list[str] = []  # what the server wrote to the editor's log, in order
        # The last of what the server wrote to standard error, read as it comes: a pipe
        # never read fills (64 KB) and blocks the server at its next write.
        self.stderr = bytearray()
        self._drain: asyncio.Task[None] | None = None
        self.client: LanguageClient = self.run(self._start(encodings, command))

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=timeout)

    async def _start(self, encodings: Sequence[str], command: Sequence[str]) -> LanguageClient:
        client = LanguageClient("policyrules-tests", "0")

        @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: lsp.PublishDiagnosticsParams) -> None:
            self.published[params.uri] = list(params.diagnostics)
            self.versions[params.uri] = self.versions.get(params.uri, 0) + 1

        @client.feature(lsp.WINDOW_LOG_MESSAGE)
        def logged(params: lsp.LogMessageParams) -> None:
            self.logged.append(params.message)

        await client.start_io(*command)
        process = client._server  # (pygls keeps the process it started there, only there)
        if process is not None and process.stderr is not None:
            self._drain = asyncio.ensure_future(self._read_stderr(process.stderr))
        general = (
            lsp.GeneralClientCapabilities(position_encodings=list(encodings)) if encodings else None
        )
        result = await client.initialize_async(
            lsp.InitializeParams(capabilities=lsp.ClientCapabilities(general=general))
        )
        self.encoding = str(result.capabilities.position_encoding)
        client.initialized(lsp.InitializedParams())
        return client

    async def _read_stderr(self, stream: asyncio.StreamReader) -> None:
        """Keep the last :data:`STDERR_KEPT` bytes the server writes to standard error."""
        while chunk := await stream.read(4096):
            self.stderr += chunk
            del self.stderr[:-STDERR_KEPT]

    def close(self) -> None:
        """Shut the server down and wait, at most ``exit_wait`` seconds each, for its
        answer and for its exit.  Past either wait, the server is asked where its threads
        are (SIGUSR1: ``faulthandler``), killed, and an AssertionError says which wait ran
        out, what state the process was in and what it wrote to standard error: a server
        that never exits fails the test, never hangs it."""

        async def stop() -> str | None:
            try:
                await asyncio.wait_for(self.client.shutdown_async(None), self.exit_wait)
                self.client.exit(None)
                await asyncio.wait_for(self.client.stop(), self.exit_wait)
            except TimeoutError:
                done = "exit after shutdown and exit" if self.client.stopped else "shut down"
                return await self._kill(done)
            return None

        try:
            failed = self.run(stop(), timeout=5 * self.exit_wait)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)
        if failed is not None:
            raise AssertionError(failed)

    async def _kill(self, done: str) -> str:
        """End a server that did not ``done`` in time; what to tell of it."""
        # pygls's client keeps the process it started as `_server`, and no other handle on it.
        process = self.client._server
        said = f"the language server did not {done} within {self.exit_wait:g} s"
        if process is None:
            return said
        state = _state(process.pid)
        said += f" (the process was {state}); killed"
        with contextlib.suppress(ProcessLookupError):
            if state.startswith("running"):
                os.kill(process.pid, signal.SIGUSR1)  # its threads' stacks to standard error
                await asyncio.sleep(1)
            process.kill()
        try:
            await asyncio.wait_for(process.wait(), self.exit_wait)
            if self._drain is not None:  # what it wrote up to its end
                await asyncio.wait_for(self._drain, self.exit_wait)
        except TimeoutError:
            said += "; its end was not seen after the kill"
        if self.stderr:
            said += "; its standard error:\n" + self.stderr.decode("utf-8", "replace")[-4000:]
        return said

    def open(self, path: Path, text: str | None = None) -> str:
        uri = uris.from_fs_path(str(path))
        assert uri is not None
        source = path.read_text("utf-8") if text is None else text
        self.client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(
                lsp.TextDocumentItem(uri=uri, language_id="policyrules", version=1, text=source)
            )
        )
        return uri

    def change(self, uri: str, text: str, version: int = 2) -> None:
        self.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [lsp.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    def edit(
        self, uri: str, version: int, start: lsp.Position, end: lsp.Position, text: str
    ) -> None:
        """An incremental change, as editors send them: ``start``-``end`` becomes ``text``."""
        self.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [lsp.TextDocumentContentChangePartial(range=lsp.Range(start, end), text=text)],
            )
        )

    def close_doc(self, uri: str) -> None:
        self.client.text_document_did_close(
            lsp.DidCloseTextDocumentParams(lsp.TextDocumentIdentifier(uri=uri))
        )

    def diagnostics_after(self, uri: str, seen: int) -> list[lsp.Diagnostic]:
        """The diagnostics of ``uri`` once more than ``seen`` publications have come."""
        for _ in range(600):  # a bound on the wait (30 s), not a timing assertion
            if self.versions.get(uri, 0) > seen:
                return self.published[uri]
            time.sleep(0.05)
        raise AssertionError(f"no diagnostics published for {uri}")

    def doc(self, uri: str) -> lsp.TextDocumentIdentifier:
        return lsp.TextDocumentIdentifier(uri=uri)

    def hover(self, uri: str, position: lsp.Position) -> str | None:
        """The hover's Markdown at a position, or ``None``."""
        got = self.run(
            self.client.text_document_hover_async(
                lsp.HoverParams(text_document=self.doc(uri), position=position)
            )
        )
        if got is None:
            return None
        assert isinstance(got.contents, lsp.MarkupContent)
        return got.contents.value

    def definition(self, uri: str, position: lsp.Position) -> Any:
        return self.run(
            self.client.text_document_definition_async(
                lsp.DefinitionParams(text_document=self.doc(uri), position=position)
            )
        )

    def completion(self, uri: str, position: lsp.Position) -> dict[str, Any]:
        """The completion's labels and kinds at a position."""
        got = self.run(
            self.client.text_document_completion_async(
                lsp.CompletionParams(text_document=self.doc(uri), position=position)
            )
        )
        assert isinstance(got, lsp.CompletionList)
        return {item.label: item.kind for item in got.items}

    def formatting(self, uri: str) -> list[lsp.TextEdit] | None:
        return self.run(
            self.client.text_document_formatting_async(
                lsp.DocumentFormattingParams(
                    text_document=self.doc(uri),
                    options=lsp.FormattingOptions(tab_size=2, insert_spaces=True),
                )
            )
        )


def _state(pid: int) -> str:
    """A process's state as Linux's /proc tells it: running (with its state letter), exited
    and not yet reaped, or gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return "gone"
    except OSError:
        return "of unknown state"
    letter = stat.rsplit(")", 1)[-1].split()[0]
    return "exited, not yet reaped" if letter == "Z" else f"running ({letter})"


def position_of(path: Path, needle: str, nth_line: int | None = None) -> lsp.Position:
    """The position of ``needle`` (on the first line holding it, or on line ``nth_line``
    counted from 1), counted as the protocol counts: lines and characters from 0."""
    lines = path.read_text("utf-8").split("\n")
    for i, line in enumerate(lines):
        if (nth_line is None or i + 1 == nth_line) and needle in line:
            return lsp.Position(line=i, character=line.index(needle))
    raise AssertionError(f"{needle!r} not in {path}")
