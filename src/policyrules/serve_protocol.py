"""The connections of ``policyrules serve``: uvicorn's HTTP protocol with the service's bounds
on them, refused as the service refuses anything else.

uvicorn answers a request beyond its ``limit_concurrency`` (``--max-connections``) with
its own ``503 Service Unavailable`` in plain text: its protocol picks that answer while it
parses the request, and no option of uvicorn's (0.30 to 0.55) changes it.  Its
``Config(http=...)`` takes a protocol class, so :class:`ServeProtocol` is the protocol
uvicorn itself would choose (``http="auto"``: httptools if installed, else h11), a small
subclass that keeps the count itself (uvicorn's own limit unset, the same numbers counted:
connections open and requests in progress, the one asking among them) and answers
**503 E727** in the service's JSON, with ``Retry-After: 1``.

uvicorn answers a request it cannot parse with a plain-text 400; :class:`ServeProtocol`
answers **400 E729** in JSON (both of uvicorn's protocols answer it by
``send_400_response``).

uvicorn also waits for a request's headers as long as the client keeps its connection open
(its keep-alive timeout runs only between requests, and the first byte of the next one
stops it): a client sending its headers a byte at a time (slowloris), or nothing, holds one
of the ``--max-connections`` for ever.  :class:`ServeProtocol` closes a connection whose
request headers are not all in within ``header_timeout`` seconds of its opening, or of the
answer before (a connection kept alive).

:func:`serve_config` makes uvicorn's ``Config`` with it; ``--processes`` passes it to each
worker (the class is named by its module, as a spawned worker imports it).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import uvicorn

from .serve_answers import dumps, error_json, serve_error

if TYPE_CHECKING:
    from uvicorn._types import ASGIReceiveCallable, ASGISendCallable, Scope
    from uvicorn.protocols.http.h11_impl import H11Protocol as _Base
    from uvicorn.server import ServerState
else:  # the protocol uvicorn's "auto" takes: httptools if installed, else h11
    from uvicorn.protocols.http.auto import AutoHTTPProtocol as _Base

__all__ = ["ServeProtocol", "serve_config"]

_log = logging.getLogger("policyrules.serve")


class ServeProtocol(_Base):
    """uvicorn's HTTP protocol, answering beyond ``limit_concurrency`` with 503 E727 (JSON,
    ``Retry-After``) and a request it cannot parse with 400 E729 (JSON) rather than
    uvicorn's plain text, and closing a connection whose request
    headers are late (the config's ``header_timeout``; see the module)."""

    def __init__(
        self,
        config: uvicorn.Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._limit = self.limit_concurrency  # (--max-connections + 1: serve_config)
        self.limit_concurrency = None  # (else uvicorn answers its own 503 before ours)
        self.app = self._admit(self.app)
        self._header_timeout: float | None = getattr(config, "header_timeout", None)
        self._headers_due: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        self._headers_in()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        super().on_response_complete()  # (may start the next request, already in)
        if not self.transport.is_closing():
            self._await_headers()

    def _await_headers(self) -> None:
        self._headers_in()
        if self._header_timeout is not None:
            self._headers_due = self.loop.call_later(self._header_timeout, self._headers_late)

    def _headers_in(self) -> None:
        if self._headers_due is not None:
            self._headers_due.cancel()
            self._headers_due = None

    def _headers_late(self) -> None:
        self._headers_due = None
        client = "{}:{}".format(*self.client) if self.client else "a client"
        _log.info(
            "closed the connection of %s: no request headers within %g s",
            client,
            self._header_timeout,
        )
        self.transport.close()

    def send_400_response(self, msg: str) -> None:
        """A request uvicorn cannot parse (no HTTP/1.1 request line, a bad header...) is 400
        E729 in the service's JSON, the connection then closed, as uvicorn closes it (it
        answered in plain text: both of its protocols call this method to answer)."""
        err = serve_error(
            "E729",
            f"not an HTTP/1.1 request: {msg}",
            hint="send an HTTP/1.1 request (`POST /v1/evaluate HTTP/1.1`, its headers, an "
            "empty line, the body); see /openapi.json",
        )
        _log.info("answered 400: %s", err.render())
        body = dumps(error_json(err))
        head = (
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n" % len(body)
        )
        self.transport.write(head + body)
        self.transport.close()

    def _admit(self, app: Any) -> Any:
        async def admit(scope: Scope, receive: ASGIReceiveCallable, send: ASGISendCallable) -> None:
            self._headers_in()  # (uvicorn calls the application once the headers are in)
            if self._over_limit():
                await self._busy(send)
            else:
                await app(scope, receive, send)

        return admit

    def _over_limit(self) -> bool:
        """uvicorn's test, as it makes it before the request's task is added."""
        if self._limit is None:
            return False
        others = len(self.tasks - {asyncio.current_task()})
        return len(self.connections) >= self._limit or others >= self._limit

    async def _busy(self, send: ASGISendCallable) -> None:
        assert self._limit is not None
        err = serve_error(
            "E727",
            f"the service has all its connections in use ({self._limit - 1} at once)",
            hint="try again in a moment (Retry-After); the service's --max-connections "
            "sets how many it takes",
        )
        _log.warning("answered 503: %s", err.render())
        body = dumps(error_json(err))
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", b"1"),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})


class _Config(uvicorn.Config):
    """uvicorn's ``Config``, carrying :class:`ServeProtocol`'s ``header_timeout`` (to each
    worker process too: a config is what uvicorn hands them)."""

    def __init__(self, app: Any, *, header_timeout: float | None, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.header_timeout = header_timeout


def serve_config(
    app: Any, *, max_connections: int, header_timeout: float | None, **kwargs: Any
) -> uvicorn.Config:
    """uvicorn's ``Config`` for ``app`` (an application, or an import string with
    ``factory=True``), its connections taken by :class:`ServeProtocol`: at most
    ``max_connections`` at once (``--max-connections``), each closed if a request's headers
    take longer than ``header_timeout`` seconds (``None``: waited for as long as it stays
    open); ``kwargs`` as ``uvicorn.Config`` takes them.  (No WebSocket: the service has no
    such route.)"""
    # N + 1: uvicorn counts the connection asking among those open (with N, it answered the
    # N-th 503, and every request 503 for --max-connections 1)
    return _Config(
        app,
        header_timeout=header_timeout,
        http=ServeProtocol,
        limit_concurrency=max_connections + 1,
        ws="none",
        **kwargs,
    )
