"""ASGI middleware: security headers, a request-size limit, and a friendly page instead of a traceback."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Final

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.params import whole_number
from web.rendering import error_page

log = logging.getLogger(__name__)

CSP: Final = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
HEADERS: Final = {
    b"content-security-policy": CSP.encode(),
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"no-referrer",  # the answer link's token is in the address
    b"x-content-type-options": b"nosniff",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
}
FALLBACK: Final = (
    "<!doctype html><html lang=nb><title>Noe gikk galt</title><h1>Noe gikk galt</h1>"
    "<p>Vi beklager. Prøv igjen om litt, eller kontakt HR-koordinatoren.</p></html>"
)


class SecurityHeaders:
    """Adds the headers to every response (a route may set its own CSP); pages are never cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = dict(HEADERS) if static else {**HEADERS, b"cache-control": b"no-store"}
                headers += [(name, value) for name, value in extra.items() if name not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuses request bodies over `limit` bytes with a 413 page, declared or streamed.

    `larger` gives a path (a file upload) its own limit and its own page: {path: (limit, error key)}.
    """

    def __init__(
        self, app: ASGIApp, limit: int = 256 * 1024, larger: Mapping[str, tuple[int, str]] | None = None
    ) -> None:
        self.app = app
        self.limit = limit
        self.larger = dict(larger or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit, key = self.larger.get(str(scope.get("path", "")), (self.limit, "413"))
        declared = whole_number(dict(scope.get("headers", [])).get(b"content-length", b"0").decode("latin-1") or "0")
        if declared is None or declared > limit:
            await _safe_page(scope, 413, key)(scope, receive, send)
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > limit:
                await _safe_page(scope, 413, key)(scope, receive, send)
                return
            more = message.get("more_body", False)
        await self.app(scope, _replay(b"".join(chunks), receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


class CatchErrors:
    """An unexpected error is logged and answered with a friendly Norwegian 500 page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception:
            log.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            await _safe_page(scope, 500, "500")(scope, receive, send)


def _safe_page(scope: Scope, status: int, key: str) -> Response:
    try:
        return error_page(Request(scope), status, key)
    except Exception:
        log.exception("the error page itself failed")
        return HTMLResponse(FALLBACK, status_code=status)
