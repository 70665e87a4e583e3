"""The console's session cookie: a reload of the console keeps its user logged in without the token ever being where
a script could read it.

After `login`, the console hands the token to `POST /app/session`, which sets it as an HttpOnly, SameSite=Strict
cookie (Secure over https) that ends with the browser session, or sooner with the token. /graphql takes that cookie
instead of an `Authorization` header only from a POST carrying `X-CRM-Console: 1`: a page of another site can neither
send the cookie (SameSite) nor add that header without a CORS preflight, which the server answers only for the
origins of CRM_CORS_ORIGINS. `DELETE /app/session` clears the cookie; `logout` revokes the token itself.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from crm.api import reporting
from crm.api.http import decode_json, error_body
from crm.identity import auth

COOKIE = "crm_session"
HEADER = "x-crm-console"


def bearer_of(request: Request) -> str | None:
    """The `Authorization` value a request stands for: its own header, or the console's cookie when it may be used."""
    header = request.headers.get("authorization")
    if header or request.method != "POST" or request.headers.get(HEADER) != "1":
        return header
    token = request.cookies.get(COOKIE)
    return f"Bearer {token}" if token else None


def _refused(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(error_body(message, code), status_code=status)


async def start(request: Request) -> Response:
    if request.headers.get(HEADER) != "1":
        return _refused(403, "FORBIDDEN", f"send the header {HEADER}: 1")
    try:
        token = decode_json(await request.body(), 4).get("token")
    except (ValueError, RecursionError, AttributeError):
        token = None
    if not isinstance(token, str) or len(token) > 200:
        return _refused(400, "BAD_REQUEST", 'send {"token": "..."}: the token `login` answered')
    try:
        principal = await auth.authenticate(request.app.state.serving.current.runtime.db, f"Bearer {token}")
    except Exception as exc:  # noqa: BLE001 - the database away, or worse: a coded answer with an id, never a traceback
        error = reporting.internal(exc, " starting a console session")
        status = reporting.status_of([error]) or 500
        headers = {"Retry-After": str(reporting.RETRY_AFTER_SECONDS)} if status == 503 else None
        return JSONResponse({"data": None, "errors": [error.formatted]}, status_code=status, headers=headers)
    if principal is None or principal.token_id is None:  # an API key is not a browser's session
        return _refused(401, "UNAUTHENTICATED", "the token is not valid (expired, revoked, or not a login token)")
    response = Response(status_code=204)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/")
    return response


async def end(request: Request) -> Response:
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/")
    return response


def routes() -> list[Route]:
    return [Route("/app/session", start, methods=["POST"]), Route("/app/session", end, methods=["DELETE"])]
