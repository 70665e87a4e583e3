"""HTTP-level protections that run before any GraphQL work: body size, JSON depth, security headers.

A request body larger than `CRM_MAX_BODY_BYTES` is refused with 413 as soon as its `Content-Length` says so, or as
soon as the bytes read pass the limit (a chunked body has no length), never after reading it all. A JSON body nested
deeper than `CRM_MAX_JSON_DEPTH` is refused before `json.loads` could recurse into it.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate

from starlette.responses import JSONResponse

STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")

# Pages (the console, GraphiQL) load scripts, styles and data from this server alone: both are built into the package.
HTML_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; "
            "manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"


class BodyTooLarge(Exception):
    pass


def client_address(request) -> str | None:
    """The address a request came from, as the server saw it (what login throttling and form rate limits count)."""
    client = getattr(request, "client", None)
    return client.host if client else None


def error_body(message: str, code: str, **extensions) -> dict:
    return {"data": None, "errors": [{"message": message, "extensions": {"code": code, **extensions}}]}


def json_depth(body: bytes) -> int:
    """How deeply `body` nests arrays and objects, brackets inside strings not counted."""
    brackets = STRINGS.sub(b"", body).translate(None, NOT_BRACKETS)
    return max(accumulate(1 if c in b"[{" else -1 for c in brackets), default=0)


def decode_json(data: str | bytes, max_depth: int) -> object:
    raw = data.encode() if isinstance(data, str) else data
    if raw.count(b"[") + raw.count(b"{") > max_depth and json_depth(raw) > max_depth:
        raise ValueError(f"the JSON body nests deeper than {max_depth} levels")
    return json.loads(raw)


UPLOADS = "/files/"


class Protect:
    """ASGI middleware: the body limit on every HTTP request, security headers on every response."""

    def __init__(self, app, max_body_bytes: int, max_upload_bytes: int | None = None):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes or max_body_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # File uploads have their own route and limit (crm.files.routes); everything else is a small JSON body.
        upload = scope.get("method") == "PUT" and scope.get("path", "").startswith(UPLOADS)
        limit = self.max_upload_bytes if upload else self.max_body_bytes
        length = dict(scope.get("headers") or ()).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await self._too_large(scope, receive, send, limit)
            return
        received = 0
        started = False

        async def counted_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": _with_security_headers(scope, message.get("headers") or [])}
            await send(message)

        try:
            await self.app(scope, counted_receive, send_with_headers)
        except BodyTooLarge:
            if started:
                raise
            await self._too_large(scope, receive, send, limit)

    @staticmethod
    async def _too_large(scope, receive, send, limit: int) -> None:
        response = JSONResponse(error_body(f"the request body is larger than {limit} bytes", "REQUEST_TOO_LARGE"),
                                status_code=413)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": _with_security_headers(scope, message.get("headers") or [])}
            await send(message)

        await response(scope, receive, send_with_headers)


def _with_security_headers(scope, headers: list) -> list:
    present = {name.lower() for name, _ in headers}
    html = any(name.lower() == b"content-type" and value.startswith(b"text/html") for name, value in headers)
    wanted = [
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
        (b"content-security-policy", (HTML_CSP if html else API_CSP).encode()),
    ]
    if scope.get("scheme") == "https":
        wanted.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
    return [*headers, *((name, value) for name, value in wanted if name not in present)]
