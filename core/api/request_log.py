"""One structured log line per HTTP request, and its request id.

The id comes from the caller's `X-Request-ID` when it is a sane token (a proxy or front-end that already made one),
otherwise it is made here; either way it is returned in `X-Request-ID` and is on every log line of the request, so an
operator can follow one request from the load balancer to the error id in a GraphQL answer. The GraphQL layer adds
the caller, operation name and error codes to `scope["state"]["crm_request"]`; nothing of the body, variables or
headers is logged, so passwords and tokens cannot end up here.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid

from crm.api import metrics

log = logging.getLogger("crm.request")
REQUEST_ID = contextvars.ContextVar("crm_request_id", default=None)
SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestLog:
    """ASGI middleware: request id in and out, one `crm.request` log line and the request metrics when it is answered."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or ()).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if SANE_ID.match(given) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        facts: dict = {}
        scope.setdefault("state", {})["crm_request"] = facts
        status = 500
        start = time.perf_counter()
        metrics.request_started(scope.get("path"))

        async def send_with_id(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*(message.get("headers") or []), (b"x-request-id", request_id.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - start
            if scope.get("path") not in ("/healthz", "/readyz", "/metrics"):  # probes and scrapes would drown the log
                line = {"request_id": request_id, "method": scope.get("method"), "path": scope.get("path"), "status": status,
                        "duration_ms": round(seconds * 1000, 1), **facts}
                log.info("%s %s %s %.1f ms", line["method"], line["path"], status, line["duration_ms"], extra={"request": line})
                metrics.observe_request(line, status, seconds)
            REQUEST_ID.reset(token)


class JsonFormatter(logging.Formatter):
    """Every log record as one JSON object: time (UTC), level, logger, message, the request id, a request line's facts."""

    converter = time.gmtime

    def format(self, record: logging.LogRecord) -> str:
        at = f"{self.formatTime(record, '%Y-%m-%dT%H:%M:%S')}.{int(record.msecs):03d}Z"
        out = {"time": at, "level": record.levelname, "logger": record.name,
               "message": record.getMessage()}
        if request_id := REQUEST_ID.get():
            out["request_id"] = request_id
        out.update(getattr(record, "request", None) or {})
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        facts = getattr(record, "request", None)
        if facts:
            extra = " ".join(f"{k}={facts[k]}" for k in ("user_id", "operation", "codes", "request_id") if facts.get(k) is not None)
            text = f"{text} {extra}"
        return text


def configure_logging(log_format: str, level: str = "INFO") -> None:
    """The `crm` loggers write to stderr, as text or JSON lines (`CRM_LOG_FORMAT`); called once per server process."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("crm")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
