"""The HTTP JSON API of ``policyrules serve``: a Starlette application.

``create_app(policy, log=..., limits=..., ledger=...)`` returns the application; run it
with any ASGI server (``policyrules serve`` runs uvicorn).  Routes (docs/serve.md):

===========================  ==============================================================
``POST /v1/evaluate``        a facts document (JSON or YAML) → what ``eval --json`` prints
``POST /v1/explain``         the same, with ``clause=``: that clause's decisions, each with
                             its text explanation
``GET /v1/clauses``          every clause: id, label, document, title, provisions
``GET /v1/clauses/{id}``     one clause, named as ``policyrules explain`` takes it: an id
                             ``jjxf_2025_50/3``, a label ``3``, ``第3条``, ``（十九）``
``GET /v1/schema``           the JSON Schema of facts documents (``policyrules schema``)
``GET /v1/coverage``         ``policyrules coverage --json``
``GET /v1/health``           ``{"status": "ok"}``
``GET /v1/version``          the tool, the policy's digest, the calendar
``GET /openapi.json``        the OpenAPI 3.1 document (also ``/v1/openapi.json``)
``GET /calculator/``         the calculator page (:mod:`policyrules.serve_page`); ``/`` leads there
===========================  ==============================================================

Options are query parameters named as the command line's flags: ``as_of=2026-06-30``,
``set=NAME=VALUE`` and ``assume=NAME=VALUE`` (each may repeat), ``commit=1``,
``all_earlier=1``; values are read as on the command line.  The body is exactly a facts
file.  Bad input is answered 4xx with the command line's diagnostics as JSON
(:func:`policyrules.serve_answers.error_json`), never with a traceback.  More routes (pages)
may be added to the returned application's ``router``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

import attrs
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .api import Policy
from .coverage import coverage_json
from .errors import PolicyRulesError, did_you_mean
from .labels import find_clauses
from .model import CheckedPolicy, ClauseInfo
from .printer import print_module
from .provenance import policy_digest, provenance
from .reading import read_pairs, read_scalar
from .serve_answers import dumps, error_json, error_status, path_hider, serve_error
from .serve_log import DecisionLog
from .serve_openapi import openapi
from .serve_page import page_routes
from .serve_terms import STORE
from .serve_work import Abandoned, Evaluator, Job, Options, ServeLimits
from .syntax import Module

__all__ = ["ServeLimits", "create_app"]

_log = logging.getLogger("policyrules.serve")
_JSON = "application/json"
_YAML = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
_UTF8 = ("utf-8", "utf8")
_FLAGS = {"1": True, "true": True, "0": False, "false": False}
_EVAL_QUERY = ("as_of", "set", "assume", "commit", "all_earlier")
_REPEATABLE = ("set", "assume")  # each names what it sets; the others are said once


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(data), status, headers, media_type=_JSON)


Hide = Callable[[str], str]


def _error(
    exc: PolicyRulesError,
    hide: Hide,
    document: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The error's answer, the server's paths hidden (``hide``); a 5xx is logged in full
    (a 500, a bug, by the handler of its exception, with the traceback)."""
    status = error_status(exc)
    headers = dict(headers or {})
    if status == 503:
        headers["Retry-After"] = "1"
    if status > 500:
        _log.warning("answered %d: %s", status, exc.render())
    return _json(error_json(exc, document, hide), status, headers)


def _options(request: Request, allowed: tuple[str, ...]) -> Options:
    """The query's options, read as the command line reads its flags (E715 otherwise)."""
    q = request.query_params
    for key in q:
        if key not in allowed:
            hint = did_you_mean(key, allowed) or f"known: {', '.join(allowed)}"
            raise serve_error("E715", f"unknown query parameter {key!r}", hint)
        given = q.getlist(key)
        if len(given) > 1 and key not in _REPEATABLE:  # else one of them would win, silently
            raise serve_error(
                "E715",
                f"query parameter {key!r} given {len(given)} times",
                f"give {key} once",
            )
    flags = {}
    for key in ("commit", "all_earlier"):
        text = q.get(key, "0").strip().lower()
        if text not in _FLAGS:
            raise serve_error("E715", f"{key}={q[key]!r}: write 1 or 0", "e.g. ?commit=1")
        flags[key] = _FLAGS[text]
    day = q.get("as_of")
    return Options(
        as_of=None if day is None else read_scalar(day),
        parameters=read_pairs(q.getlist("set"), "set"),
        assumptions=read_pairs(q.getlist("assume"), "assume"),
        commit=flags["commit"],
        all_earlier=flags["all_earlier"],
    )


def _document_name(request: Request) -> str:
    """``request.json`` or ``request.yaml`` by the Content-Type (E710 for any other, for a
    charset other than UTF-8, or a body in a Content-Encoding: RFC 9110 §15.5.16)."""
    coding = request.headers.get("content-encoding", "").strip().lower()
    if coding not in ("", "identity"):  # (its bytes would be read as text: "not UTF-8")
        raise serve_error(
            "E710",
            f"a facts document is sent as it is, not in Content-Encoding {coding}",
            hint="send the document uncompressed, without a Content-Encoding header",
        )
    kind, *params = request.headers.get("content-type", "").split(";")
    kind = kind.strip().lower()
    if kind == _JSON or kind.endswith("+json"):
        name = "request.json"
    elif kind in _YAML:
        name = "request.yaml"
    else:
        raise serve_error(
            "E710",
            f"a facts document is JSON or YAML, not {kind or 'a body without a Content-Type'}",
            hint="send Content-Type: application/json (or application/yaml)",
        )
    for param in params:
        key, _, value = param.partition("=")
        charset = value.strip().strip('"').lower()
        if key.strip().lower() == "charset" and charset not in _UTF8:
            # RFC 8259 §8.1: JSON exchanged between systems is UTF-8 (and the reader reads
            # YAML as UTF-8): another charset's bytes would be read as other characters.
            raise serve_error(
                "E710",
                f"a facts document is UTF-8, not charset={charset or '(empty)'}",
                hint="send the document encoded as UTF-8, with charset=utf-8 or no charset",
            )
    return name


async def _body(request: Request, limit: int) -> bytes:
    """The body, refused (E711) as soon as it is known to be larger than ``limit`` bytes."""
    too_big = serve_error(
        "E711",
        f"the request body is larger than the limit of {limit} bytes",
        hint="send a smaller document, or start the service with a larger --max-body-mb",
    )
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise serve_error(
                "E715",
                f"Content-Length {declared!r} is not a number of bytes",
                "send the body's length in bytes (digits only), or leave the header out",
            )
        if int(declared) > limit:
            raise too_big
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def _clause_json(c: CheckedPolicy, cl: ClauseInfo) -> dict[str, Any]:
    """A clause as ``policyrules explain POLICY CLAUSE`` shows it, as data."""
    doc = c.document(cl.document)
    parameters = []
    for name in cl.parameters:
        param = c.parameter(name)
        parameters.append(
            {
                "name": name,
                "title": param.title if param else None,
                "set": param is not None and param.default is not None,
            }
        )
    provisions = []
    for p in cl.provisions:
        assumptions = []
        for a in p.assumptions:
            info = c.assumption(a)
            assumptions.append({"name": a, "rationale": info.rationale if info else None})
        provisions.append(
            {
                "id": p.id,
                "kind": p.kind,
                "title": p.title,
                "facts": list(p.facts),
                "parameters": list(p.parameters),
                "assumptions": assumptions,
            }
        )
    return {
        "id": cl.id,
        "label": cl.label,
        "document": cl.document,
        "document_number": doc.number if doc else None,
        "title": cl.title,
        "chapter": list(cl.chapter) if cl.chapter else None,
        "quote": cl.quote,
        "notes": list(cl.notes),
        "parameters": parameters,
        "provisions": provisions,
        "encoding": print_module(Module((cl.node,))) if cl.node is not None else None,
    }


def _find_clauses(c: CheckedPolicy, wanted: str) -> list[ClauseInfo]:
    """The clauses ``wanted`` names, found as ``policyrules explain`` finds them
    (:func:`~policyrules.labels.find_clauses`: ``3``, ``第3条``, ``（十九）``, an id, a
    document's number before a label); none is E714 (404) with the command's suggestions, a
    label that reads two ways E735 (400)."""
    try:
        return find_clauses(c, wanted, listing="GET /v1/clauses lists every clause")
    except PolicyRulesError as exc:
        (d,) = exc.diagnostics
        if d.code != "E400":
            raise
        raise serve_error("E714", d.message, d.hint) from None


def _ended_unanswered(done: asyncio.Future[bytes]) -> None:
    """An abandoned evaluation's end: its error (a store found busy too late, say) goes to
    the server's log, not to asyncio's "exception was never retrieved"."""
    if not done.cancelled() and (exc := done.exception()) is not None:
        _log.info("an abandoned evaluation ended with %s: %s", type(exc).__name__, exc)


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def _guarded(handler: Handler, hide: Hide) -> Handler:
    """``handler``, with a bad request answered by its diagnostics instead of raising."""

    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except PolicyRulesError as exc:
            return _error(exc, hide)

    return run


def create_app(
    policy: Policy,
    *,
    log: DecisionLog | None = None,
    limits: ServeLimits | None = None,
    ledger: str | Path | None = None,
    import_ledgers: bool = False,
) -> Starlette:
    """The service for ``policy`` (see the module).

    ``log``: the decision log every evaluation is appended to (``None``: none is kept);
    ``limits``: :class:`ServeLimits` (body size, nesting, time, threads); ``ledger``: an
    existing ledger store whose grants every evaluation counts as earlier grants, and into
    which ``commit=1`` records its own (in the log's transaction); ``import_ledgers``: with
    ``commit=1``, a document's own earlier grants (``ledger:``) are recorded in the store
    with the evaluation's, as ``eval --ledger STORE`` records a facts file's (off: such a
    document is refused, 403 E722: any caller could otherwise record grants of any firm).

    :raises LedgerError: E336 if ``ledger`` does not exist, E330 if it is not a store."""
    limits = limits or ServeLimits()
    store = Path(ledger) if ledger is not None else None
    if store is not None:
        from .store import LedgerStore

        LedgerStore.open(store, create=False).close()  # refuse a missing or foreign store now
    digest = policy_digest(policy)
    # A client learns no path of the server's (the server's log does): paths in errors are
    # read as these labels, and the policy's files by their names inside it.
    hide = path_hider(
        {STORE: store, "the service's decision log": log.path if log else None}, policy.path
    )
    work = Evaluator(
        policy, digest=digest, log=log, ledger=store, limits=limits, import_ledgers=import_ledgers
    )
    c = policy.checked
    tagged = {"X-Policy-Digest": digest[0]}  # what the policy answers came from
    about = provenance(policy, digest=digest)
    del about["options"]
    fixed = {
        "schema": dumps(policy.schema()),
        "coverage": dumps(coverage_json(c, policy.words)),
        "version": dumps(about),
        "openapi": dumps(openapi(policy, about)),
        "clauses": dumps(
            {
                "clauses": [
                    {
                        "id": cl.id,
                        "label": cl.label,
                        "document": cl.document,
                        "title": cl.title,
                        "provisions": [
                            {"id": p.id, "kind": p.kind, "title": p.title} for p in cl.provisions
                        ],
                    }
                    for cl in c.clauses
                ]
            }
        ),
    }

    def fixed_route(path: str, key: str) -> Route:
        async def answer(request: Request) -> Response:
            return Response(fixed[key], headers=tagged, media_type=_JSON)

        return Route(path, answer, methods=["GET"], name=key)

    async def health(request: Request) -> Response:
        return _json({"status": "ok"})

    async def clause(request: Request) -> Response:
        found = _find_clauses(c, request.path_params["clause"])
        return _json({"clauses": [_clause_json(c, cl) for cl in found]})

    async def evaluate(request: Request) -> Response:
        return await _evaluate(request, _options(request, _EVAL_QUERY))

    async def explain(request: Request) -> Response:
        options = _options(request, (*_EVAL_QUERY, "clause"))
        if options.commit:
            raise serve_error(
                "E715",
                "explain records nothing: leave out commit",
                "to record the grants, POST the document to /v1/evaluate?commit=1",
            )
        wanted = request.query_params.get("clause")
        if wanted is None:
            raise serve_error("E715", "explain needs clause=ID", "e.g. ?clause=jjxf_2025_50/3")
        ids = tuple(cl.id for cl in _find_clauses(c, wanted))
        return await _evaluate(request, attrs.evolve(options, clauses=ids))

    async def _evaluate(request: Request, options: Options) -> Response:
        name = _document_name(request)
        try:  # (uvicorn waits for a body as long as its client keeps the connection open)
            raw = await asyncio.wait_for(_body(request, limits.max_body_bytes), limits.timeout)
        except TimeoutError:
            raise serve_error(
                "E725",
                f"the request body did not arrive within {limits.timeout:g} s",
                hint="send the whole body at once (its Content-Length bytes), or start the "
                "service with a larger --timeout",
            ) from None
        entry_id = uuid.uuid4().hex
        job = Job()
        future = work.submit(raw, name, options, entry_id, job)
        waiting = asyncio.wrap_future(future)
        try:
            answer = await asyncio.wait_for(asyncio.shield(waiting), limits.timeout)
        except TimeoutError:
            if job.abandon():
                waiting.add_done_callback(_ended_unanswered)
                if future.cancel():
                    raise serve_error(
                        "E713",
                        f"no evaluation thread was free within {limits.timeout:g} s "
                        f"({limits.workers} evaluate at once)",
                        hint="try again later",
                    ) from None
                raise serve_error(
                    "E712",
                    f"the evaluation took longer than {limits.timeout:g} s and was "
                    "abandoned; nothing was recorded",
                    hint="send a smaller document, or start the service with a larger --timeout",
                ) from None
            answer = await waiting  # it is recording its result: answer it
        except asyncio.CancelledError:
            # The server stops without waiting for answers (a second Ctrl-C): unless it is
            # recording, the evaluation is withdrawn, so a client without an answer has
            # none of its grants recorded (else it ran on, recording, answered 500).
            if not job.abandon():
                answer = await waiting
                return Response(answer, headers={"X-Decision-Id": entry_id}, media_type=_JSON)
            waiting.add_done_callback(_ended_unanswered)
            future.cancel()
            return _error(
                serve_error(
                    "E726",
                    "the service stopped before this evaluation ended; nothing was recorded",
                    hint="send it again when the service is back",
                ),
                hide,
            )
        except PolicyRulesError as exc:
            return _error(exc, hide, name)
        except Abandoned:  # pragma: no cover - abandoned only after the wait ended
            raise serve_error("E712", "the evaluation was abandoned") from None
        return Response(answer, headers={"X-Decision-Id": entry_id}, media_type=_JSON)

    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 404
        where = f"{request.method} {request.url.path}"
        headers = None
        if status == 405:
            # RFC 9110 §15.5.6: a 405 lists the methods the route takes (Starlette names them)
            named = (exc.headers or {}).get("Allow", "") if isinstance(exc, HTTPException) else ""
            allow = ", ".join(sorted(m.strip() for m in named.split(",") if m.strip()))
            headers = {"Allow": allow}  # (sorted: Starlette's order varies between runs)
            err = serve_error(
                "E718", f"{where}: method not allowed (allowed: {allow})", "see /openapi.json"
            )
        elif status == 404:
            err = serve_error("E717", f"no such route: {request.url.path}", "see /openapi.json")
        else:  # Starlette's own refusals of a malformed request
            detail = exc.detail if isinstance(exc, HTTPException) else str(exc)
            err = serve_error("E715", f"{where}: {detail}")
        return _error(err, hide, headers=headers)

    async def internal(request: Request, exc: Exception) -> Response:
        _log.error("unexpected error on %s", request.url.path, exc_info=exc)
        err = serve_error(
            "E719",
            f"the service failed on this request ({type(exc).__name__}); it was not recorded",
            hint="this is a bug in policyrules: report it with the request",
        )
        return _error(err, hide)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        work.close()

    routes = [
        Route("/v1/evaluate", _guarded(evaluate, hide), methods=["POST"], name="evaluate"),
        Route("/v1/explain", _guarded(explain, hide), methods=["POST"], name="explain"),
        fixed_route("/v1/clauses", "clauses"),
        Route("/v1/clauses/{clause:path}", _guarded(clause, hide), methods=["GET"], name="clause"),
        fixed_route("/v1/schema", "schema"),
        fixed_route("/v1/coverage", "coverage"),
        Route("/v1/health", health, methods=["GET"], name="health"),
        fixed_route("/v1/version", "version"),
        fixed_route("/openapi.json", "openapi"),
        fixed_route("/v1/openapi.json", "openapi"),
        *page_routes(c),  # the calculator page (政策计算器)
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: not_found, Exception: internal},
        lifespan=lifespan,
    )
    app.state.evaluator = work
    return app
