"""The language server while a file is being edited, as an editor drives it: incremental
changes in the editor's units, lines half typed, buffers closed unsaved, bursts of changes,
line ends other than ``\\n``, requests that do not read, and analyses that take long or
finish late (the way the process ends: test_lsp_process.py).

Positions count as the protocol counts (lines and characters from 0, characters in UTF-16
unless the client offered UTF-8); a 𠮷 or an emoji is two UTF-16 units and four UTF-8 bytes.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

import attrs
import pytest
from lsprotocol import types as lsp
from pygls import uris
from pygls.exceptions import JsonRpcInvalidParams
from pygls.protocol import JsonRPCRequestMessage

from lsp_session import COMMON, JJXF, Session, position_of
from policyrules.lsp.server import _build

# Line 21 (index 20) holds astral characters before the names a test points at.
POLICY = """# 𠮷 a policy to edit 😀
document d "测试"
  number "京〔2025〕1号"

entity firm "企业"
  list firms
  fact name: text "企业名称"
  fact kind: Kind "类型😀"
  fact requested: money "金额"

enum Kind "类型" {
  small "小型",
  large "大型",
}

clause 1 "奖励"
  quote "给予奖励"

  award reward "奖励"
    for each firm
    eligible when name != "𠮷😀中" and kind = small  # 𠮷😀
    amount requested
"""
LINE = 20


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def at(text: str, needle: str, units: int = 0) -> lsp.Position:
    """Where ``needle`` starts on line :data:`LINE` of ``text``, in UTF-16, plus ``units``."""
    line = text.split("\n")[LINE]
    return lsp.Position(LINE, utf16(line[: line.index(needle)]) + units)


@pytest.mark.parametrize("separator", ["\u2028", "\x0c", "\x85"])
def test_an_edit_below_a_form_feed_or_line_separator_lands_where_it_was_made(
    session: Session, tmp_path: Path, separator: str
) -> None:
    """U+2028, a form feed or U+0085 in a quote is no line end for an editor; pygls's
    store took each for one, applied the edit on the line above and reported E101."""
    path = tmp_path / "a.rule"
    text = POLICY.replace('"给予奖励"', f'"给予{separator}奖励"').replace(
        "kind = small", "kid = small"
    )
    uri = session.open(path, text)
    (d,) = session.diagnostics_after(uri, 0)
    start = at(text, "kid")
    assert (d.code, d.range.start) == ("E203", start)
    seen = session.versions[uri]
    end = lsp.Position(start.line, start.character + 3)
    session.edit(uri, 2, start, end, "kind")
    assert session.diagnostics_after(uri, seen) == []
    hover = session.hover(uri, at(POLICY, "kind", 1))
    assert hover is not None
    assert "`firm.kind`" in hover
    session.close_doc(uri)


def test_positions_count_utf8_when_the_client_offers_it(tmp_path: Path) -> None:
    """Offered UTF-8 first, the server takes it: 𠮷, 😀 and 中 count 4, 4 and 3."""
    s = Session(encodings=["utf-8", "utf-16"])
    try:
        assert s.encoding == "utf-8"
        text = POLICY.replace("kind = small", "kid = small")
        uri = s.open(tmp_path / "a.rule", text)
        line = text.split("\n")[LINE]
        start = lsp.Position(LINE, len(line[: line.index("kid")].encode("utf-8")))
        (d,) = s.diagnostics_after(uri, 0)
        assert d.range == lsp.Range(start, lsp.Position(LINE, start.character + 3))
        seen = s.versions[uri]
        s.edit(uri, 2, start, d.range.end, "kind")
        assert s.diagnostics_after(uri, seen) == []
        hover = s.hover(uri, lsp.Position(LINE, start.character + 1))
        assert hover is not None
        assert "`firm.kind`" in hover
    finally:
        s.close()


def test_hover_and_definition_below_a_half_typed_line(session: Session, policy_copy: Path) -> None:
    """Hover and definition look up the last policy that parsed, whose lines the half
    typed one has shifted: they were looked up at the old line numbers (the fact of the
    line above answered) and definitions in the edited file pointed one line too high."""
    path = policy_copy / "jjxf-2025-50.rule"
    uri = session.open(path)
    session.diagnostics_after(uri, 0)
    use = position_of(JJXF, "approved_on in force")
    seen = session.versions[uri]
    above = lsp.Position(use.line - 2, 0)
    session.edit(uri, 2, above, above, "    eligible when appr and\n")
    (d,) = session.diagnostics_after(uri, seen)
    assert str(d.code).startswith("E1")  # the half line does not parse
    moved = lsp.Position(use.line + 1, use.character + 2)
    hover = session.hover(uri, moved)
    assert hover is not None
    assert "`product.approved_on`: `date`" in hover
    got = session.definition(uri, moved)
    assert isinstance(got, lsp.Location)
    assert got.uri == uris.from_fs_path(str(policy_copy / "common.rule"))
    assert got.range.start == position_of(COMMON, "approved_on: date")
    assert session.hover(uri, lsp.Position(above.line, 20)) is None  # the line being typed
    # rd_reward_rate is declared in this file, below the half line: one line lower now.
    declared = position_of(JJXF, "parameter rd_reward_rate")
    used = position_of(JJXF, "rd_reward_rate of")
    got = session.definition(uri, lsp.Position(used.line + 1, used.character + 1))
    assert isinstance(got, lsp.Location)
    assert got.uri == uri
    assert got.range.start == lsp.Position(declared.line + 1, declared.character + 10)
    session.close_doc(uri)


def test_completion_on_a_half_typed_last_line_of_a_provision(
    session: Session, policy_copy: Path
) -> None:
    """The scope of a line being typed is that of the line it follows; it was looked up at
    its line number in the last text that parsed, there a blank line outside any provision,
    and no fact was offered."""
    path = policy_copy / "jjxf-2025-50.rule"
    good = path.read_text("utf-8")
    last = "    order by if cap_share_order = first_approved then approved_on else "
    assert last in good
    after = position_of(JJXF, last)
    uri = session.open(path)
    session.diagnostics_after(uri, 0)
    seen = session.versions[uri]
    where = lsp.Position(after.line + 1, 0)
    session.edit(uri, 2, where, where, "    eligible when (launch_r\n")
    session.diagnostics_after(uri, seen)
    got = session.completion(uri, lsp.Position(after.line + 1, len("    eligible when (launch_r")))
    assert got["launch_routes"] == lsp.CompletionItemKind.Field
    session.close_doc(uri)


def test_no_completion_inside_a_string_or_a_comment(session: Session) -> None:
    """Inside a quote every keyword of the grammar was offered (the text up to the cursor
    does not parse), inside a comment the statements that could follow it."""
    uri = session.open(JJXF)
    quote = position_of(JJXF, '"北京市经济和信息化局"')
    assert session.completion(uri, lsp.Position(quote.line, quote.character + 3)) == {}
    comment = position_of(JJXF, "All 15 measures")
    assert session.completion(uri, lsp.Position(comment.line, comment.character + 4)) == {}
    # Just after a closed string, what may follow it.
    got = session.completion(uri, lsp.Position(quote.line, quote.character + 12))
    assert "agency" in got
    session.close_doc(uri)


def test_requests_on_a_file_neither_open_nor_on_disk_answer_nothing(
    session: Session, tmp_path: Path
) -> None:
    """They failed with FileNotFoundError (an error response, a traceback on stderr)."""
    uri = uris.from_fs_path(str(tmp_path / "never.rule")) or ""
    position = lsp.Position(0, 0)
    assert session.hover(uri, position) is None
    assert session.definition(uri, position) is None
    assert session.completion(uri, position) == {}
    assert session.formatting(uri) is None
    assert session.completion("untitled:Untitled-1", position) == {}


def test_a_buffer_closed_unsaved_has_its_diagnostics_cleared(
    session: Session, tmp_path: Path
) -> None:
    """A new file's buffer, closed without saving, is no longer part of the policy: its
    syntax error stayed in the editor's problems."""
    (tmp_path / "a.rule").write_text(POLICY, "utf-8")
    uri = session.open(tmp_path / "new.rule", 'clause 9 "x"\n  award a\n    eligible when\n')
    assert session.diagnostics_after(uri, 0) != []
    seen = session.versions[uri]
    session.close_doc(uri)
    assert session.diagnostics_after(uri, seen) == []


def test_formatting_keeps_crlf_line_ends(session: Session, tmp_path: Path) -> None:
    """A formatted file with CRLF line ends got one whole-file edit with LF ones, even when
    nothing else changed."""
    path = tmp_path / "a.rule"
    canonical = POLICY.replace("\n", "\r\n")
    uri = session.open(path, canonical)
    none = session.formatting(uri)
    assert none is not None
    assert list(none) == []
    session.change(uri, canonical.replace("  award reward", "award   reward"))
    edits = session.formatting(uri)
    assert edits is not None
    (edit,) = edits
    assert edit.new_text == canonical
    assert edit.range == lsp.Range(lsp.Position(0, 0), lsp.Position(POLICY.count("\n"), 0))
    session.close_doc(uri)


def test_a_burst_of_changes_is_checked_once_it_settles(session: Session, tmp_path: Path) -> None:
    """Each change was analysed in turn (one publication each), so a request after a burst
    waited for all of them; changes that come together are now analysed together."""
    path = tmp_path / "a.rule"
    uri = session.open(path, POLICY)
    session.diagnostics_after(uri, 0)
    seen = session.versions[uri]
    where = lsp.Position(LINE + 2, 0)
    typed = "    eligible when kind = large\n"
    session.edit(uri, 2, where, where, "\n")
    for i, c in enumerate(typed[:-1]):
        here = lsp.Position(LINE + 2, i)
        session.edit(uri, 3 + i, here, here, c)
    hover = session.hover(uri, lsp.Position(LINE + 2, len("    eligible when k")))
    assert hover is not None
    assert "`firm.kind`" in hover
    assert session.diagnostics_after(uri, seen) == []
    assert session.versions[uri] - seen < len(typed) // 3
    session.close_doc(uri)


def test_a_byte_order_mark_does_not_shift_the_first_line(session: Session, tmp_path: Path) -> None:
    """The parser drops the mark, the editor's text keeps it: ranges on line 1 were one
    character short."""
    uri = session.open(tmp_path / "bom.rule", '\ufeffclause 1 "x" =\n')
    (d,) = session.diagnostics_after(uri, 0)
    assert d.range == lsp.Range(lsp.Position(0, 14), lsp.Position(0, 15))
    session.close_doc(uri)


def test_a_broken_file_not_open_is_named_in_the_files_it_stops(
    session: Session, tmp_path: Path
) -> None:
    """A file next to a broken scratch file is not checked: its own errors went unseen
    without a word why."""
    (tmp_path / "scratch.rule").write_text('clause 1 "x\n', "utf-8")
    uri = session.open(tmp_path / "a.rule", POLICY.replace("kind = small", "kid = small"))
    (d,) = session.diagnostics_after(uri, 0)
    assert d.severity == lsp.DiagnosticSeverity.Information
    assert d.message == "not checked: scratch.rule in this directory does not parse"
    session.close_doc(uri)


@pytest.mark.parametrize(
    ("method", "line", "character", "field"),
    [
        (lsp.TEXT_DOCUMENT_HOVER, -1, 0, "line"),
        (lsp.TEXT_DOCUMENT_DEFINITION, 0, -1, "character"),
        (lsp.TEXT_DOCUMENT_COMPLETION, -1, -1, "line"),
    ],
)
def test_a_request_at_a_negative_position_is_refused_at_once(
    session: Session, tmp_path: Path, method: str, line: int, character: int, field: str
) -> None:
    """pygls failed to read the position inside its reader and answered nothing: the
    request waited for ever.  It is now refused with InvalidParams, and the server goes on."""
    uri = session.open(tmp_path / "a.rule", POLICY)
    kinds = {
        lsp.TEXT_DOCUMENT_HOVER: lsp.HoverParams,
        lsp.TEXT_DOCUMENT_DEFINITION: lsp.DefinitionParams,
        lsp.TEXT_DOCUMENT_COMPLETION: lsp.CompletionParams,
    }
    with attrs.validators.disabled():  # lsprotocol refuses to make such a position
        params = kinds[method](session.doc(uri), lsp.Position(line, character))

    async def ask() -> object:
        asked = session.client.protocol.send_request_async(method, params)
        return await asyncio.wait_for(asked, 10)  # a bound on the wait, not a timing check

    with pytest.raises(JsonRpcInvalidParams) as refused:
        session.run(ask())
    assert refused.value.message == (
        f"{method}: invalid params: position.{field} should be in range [0:2147483647], but was -1."
    )
    hover = session.hover(uri, at(POLICY, "kind", 1))
    assert hover is not None
    assert "`firm.kind`" in hover
    session.close_doc(uri)


@pytest.mark.parametrize(
    ("method", "params", "said"),
    [
        (lsp.TEXT_DOCUMENT_HOVER, {"position": None}, "position is null"),
        (lsp.TEXT_DOCUMENT_DEFINITION, {"position": ...}, "position is missing"),
        (
            lsp.TEXT_DOCUMENT_COMPLETION,
            {"position": {"line": None, "character": 0}},
            "position.line is null",
        ),
        (lsp.TEXT_DOCUMENT_HOVER, {"textDocument": None}, "textDocument is null"),
        (lsp.TEXT_DOCUMENT_DEFINITION, {"textDocument": {}}, "textDocument.uri is missing"),
        (
            lsp.TEXT_DOCUMENT_COMPLETION,
            {"context": {"triggerKind": None}},
            "context.triggerKind is null",
        ),
        (lsp.TEXT_DOCUMENT_FORMATTING, {"options": None}, "options is null"),
        (lsp.TEXT_DOCUMENT_FORMATTING, {"options": ...}, "options is missing"),
        (lsp.TEXT_DOCUMENT_HOVER, None, "params is null"),
    ],
)
def test_a_request_with_a_null_or_missing_field_names_it(
    session: Session, tmp_path: Path, method: str, params: dict[str, Any] | None, said: str
) -> None:
    """hCD's trial: a hover at a null position was refused with "'NoneType' object is not
    subscriptable", naming no field (cattrs's innermost failure, reading `line` of None).
    The refusal names the field as the message spells it, and says it is null or missing."""
    uri = session.open(tmp_path / "a.rule", POLICY)
    sent: dict[str, Any] | None = None
    if params is not None:
        sent = {"textDocument": {"uri": uri}}
        if method == lsp.TEXT_DOCUMENT_FORMATTING:
            sent["options"] = {"tabSize": 2, "insertSpaces": True}
        else:
            sent["position"] = {"line": 0, "character": 0}
        for key, value in params.items():
            if value is ...:
                del sent[key]
            else:
                sent[key] = value

    async def ask() -> object:
        # Sent as it is: the client's own request types would refuse to write such params.
        protocol = session.client.protocol
        msg_id = f"raw-{method}-{said}"
        answer: concurrent.futures.Future[object] = concurrent.futures.Future()
        protocol._request_futures[msg_id] = answer
        protocol._send_data(
            JsonRPCRequestMessage(id=msg_id, method=method, jsonrpc="2.0", params=sent)
        )
        return await asyncio.wait_for(asyncio.wrap_future(answer), 10)  # a bound, not timing

    with pytest.raises(JsonRpcInvalidParams) as refused:
        session.run(ask())
    assert refused.value.message == f"{method}: invalid params: {said}"
    session.close_doc(uri)


def test_a_change_that_does_not_read_is_said_in_the_editors_log(
    session: Session, tmp_path: Path
) -> None:
    """A notification cannot be answered: pygls dropped one it could not read with a
    traceback on standard error and a generic error message, so an editor's change was
    lost unexplained and the server went on with a text the editor no longer showed.  The
    editor's log now says which change was dropped and why, and the server goes on."""
    uri = session.open(tmp_path / "a.rule", POLICY)
    before = len(session.logged)
    with attrs.validators.disabled():  # lsprotocol refuses to make such a position
        where = lsp.Range(lsp.Position(-1, 0), lsp.Position(0, 0))
        params = lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            [lsp.TextDocumentContentChangePartial(range=where, text="x")],
        )
    session.client.protocol.notify(lsp.TEXT_DOCUMENT_DID_CHANGE, params)
    for _ in range(200):  # a bound on the wait (10 s), not a timing check
        if len(session.logged) > before:
            break
        time.sleep(0.05)
    assert session.logged[before:] == [
        "textDocument/didChange: invalid params, notification ignored: "
        "contentChanges[0].range.start.line should be in range [0:2147483647], but was -1. "
        "(the server's text of the document may now differ: reopen it)"
    ]
    hover = session.hover(uri, at(POLICY, "kind", 1))  # still serving, the text unchanged
    assert hover is not None
    assert "`firm.kind`" in hover
    session.close_doc(uri)


def test_a_lone_carriage_return_ends_a_line(session: Session, tmp_path: Path) -> None:
    """The protocol counts `\\r` alone as a line end (old Mac files); the parser took it for
    a space, so the whole file was its first line, and the comment on that line ran to the
    end of the file: no diagnostic, no hover, and an edit for a file formatted already."""
    typo = POLICY.replace("kind = small", "kid = small")
    uri = session.open(tmp_path / "cr.rule", typo.replace("\n", "\r"))
    (d,) = session.diagnostics_after(uri, 0)
    start = at(typo, "kid")  # line 21 (index 20), after 𠮷😀中 and the rest: UTF-16 units
    assert (d.code, d.range) == ("E203", lsp.Range(start, lsp.Position(LINE, start.character + 3)))
    hover = session.hover(uri, at(typo, "name", 1))
    assert hover is not None
    assert "`firm.name`" in hover
    got = session.definition(uri, at(typo, "name", 1))
    assert isinstance(got, lsp.Location)
    # `  fact name: text "企业名称"` is line 7 (index 6); the name starts at character 7.
    assert got.range == lsp.Range(lsp.Position(6, 7), lsp.Position(6, 11))
    session.close_doc(uri)
    uri = session.open(tmp_path / "canonical.rule", POLICY.replace("\n", "\r"))
    edits = session.formatting(uri)
    assert edits is not None
    assert list(edits) == []  # formatted already, its line ends kept
    session.close_doc(uri)


def test_hover_is_answered_while_a_long_analysis_runs(session: Session, tmp_path: Path) -> None:
    """Analyses ran on the server's event loop: a hover waited for the analysis of the last
    change (about 2.5 s of CPU for these 3,000 awards) and came after its diagnostics.  They
    run in a thread of their own now, and a hover on a line not changed is answered from the
    last analysis while the next one runs."""
    text = 'document d "测试"\n\nentity firm "企业"\n  list firms\n  fact rent: money "房租"\n'
    text += "".join(
        f'\nclause {i} "c"\n  quote "给予 1 万元"\n  award a{i}\n    for each firm\n'
        "    amount 1 万元\n"
        for i in range(1, 3001)
    )
    uri = session.open(tmp_path / "big.rule", text)
    assert session.diagnostics_after(uri, 0) == []
    seen = session.versions[uri]
    end = lsp.Position(text.count("\n"), 0)
    session.edit(uri, 2, end, end, "# one more line\n")
    time.sleep(0.5)  # past SETTLE (0.05 s): the analysis of version 2 is under way
    hover = session.hover(uri, lsp.Position(2, 8))  # `firm` in `entity firm "企业"`
    published = session.versions[uri] - seen
    assert hover is not None
    assert hover.startswith("**entity** `firm`")
    assert published == 0  # answered before the analysis of version 2 was done
    assert session.diagnostics_after(uri, seen) == []  # which then came
    session.close_doc(uri)


class _Held(Executor):
    """An executor that runs what it is given only when told, in the order told."""

    def __init__(self) -> None:
        self.held: list[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        done: Future[Any] = Future()
        self.held.append((done, fn, args))
        return done

    def release(self, i: int) -> None:
        done, fn, args = self.held[i]
        done.set_result(fn(*args))


def test_a_stale_analysis_never_publishes_after_a_newer_one(tmp_path: Path) -> None:
    """Analyses run in a thread and finish when they finish: the analysis of version 1 (a
    typo, E203), done after that of version 2 (fixed) was published, is dropped; its
    diagnostics would have stood for the fixed text."""
    server, state = _build()
    list(server.protocol.lsp_initialize(lsp.InitializeParams(lsp.ClientCapabilities())))
    said: list[lsp.PublishDiagnosticsParams] = []
    server.text_document_publish_diagnostics = said.append  # type: ignore[method-assign]
    held = state.worker = _Held()
    path = tmp_path / "a.rule"
    uri = uris.from_fs_path(str(path)) or ""

    async def scenario() -> None:
        state.buffers.open(uri, POLICY.replace("kind = small", "kid = small"), 1)
        first = state.refresh(tmp_path, str(path))
        fixed = [lsp.TextDocumentContentChangeWholeDocument(text=POLICY)]
        state.buffers.change(uri, fixed, "utf-16", 2)
        second = state.refresh(tmp_path, str(path))
        held.release(1)
        await second
        held.release(0)
        await first

    # in a thread of its own: an earlier test of the session (Playwright's sync API) may
    # have left an event loop running in this one, where asyncio.run() refuses to start
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, scenario()).result(timeout=60)
    assert [(p.uri, p.version, p.diagnostics) for p in said] == [(uri, 2, [])]


@pytest.mark.parametrize("request_kind", ["formatting", "completion"])
def test_formatting_and_completion_leave_the_event_loop_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request_kind: str
) -> None:
    """Formatting and completion are computed in another thread: the event loop, which
    reads every message, runs while they do.  Both ran on it, so a long one held up
    every message behind it (a cancel, a change, another request)."""
    import policyrules.lsp.server as server_module

    server, state = _build()
    list(server.protocol.lsp_initialize(lsp.InitializeParams(lsp.ClientCapabilities())))
    server.text_document_publish_diagnostics = [].append  # type: ignore[method-assign]
    path = tmp_path / "a.rule"
    path.write_text(POLICY, encoding="utf-8")
    uri = uris.from_fs_path(str(path)) or ""
    started, release = threading.Event(), threading.Event()
    events: list[str] = []
    name = "formatted" if request_kind == "formatting" else "completions"
    real = getattr(server_module, name)

    def slow(*args: Any) -> Any:  # the formatter or completion, taking its time
        started.set()
        release.wait(10)
        events.append("computed")
        return real(*args)

    monkeypatch.setattr(server_module, name, slow)

    async def ask() -> Any:  # (as the server's handler calls it)
        if request_kind == "formatting":
            got = state.format(uri)
        else:
            got = state.complete(uri, lsp.Position(line=0, character=0))
        return await got if inspect.isawaitable(got) else got

    async def scenario() -> Any:
        state.buffers.open(uri, POLICY, 1)
        if request_kind == "completion":
            await state.refresh(tmp_path, str(path))
        asked = asyncio.ensure_future(ask())
        await asyncio.to_thread(started.wait, 10)  # under way
        events.append("loop ran")  # the loop runs while it is computed
        release.set()
        return await asyncio.wait_for(asked, 10)

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        got = pool.submit(asyncio.run, scenario()).result(timeout=60)
    assert events == ["loop ran", "computed"]
    assert got is not None  # an answer all the same (formatting: [] or an edit)
