"""What a client is told about an error, and what the log keeps.

Every error that leaves the server carries `extensions.code`. Errors the CRM raises on purpose (FORBIDDEN,
BAD_USER_INPUT, a refused query) pass as they are and log one line, never the document or its variables, so that a
password written inline in `login` cannot reach the log. Anything unexpected (a bug, a plugin's exception, a
driver's message with SQL in it) reaches the client only as INTERNAL with an error id; the log has the exception
with that id. A database that cannot be reached answers UNAVAILABLE, and the HTTP response says 503 with
`Retry-After`, so that clients and load balancers retry instead of reporting a failure.
"""

from __future__ import annotations

import logging
import secrets
import socket

from graphql import GraphQLError
from sqlalchemy import exc as sa_exc

from crm.plugin_failures import plugin_in_traceback

log = logging.getLogger("crm.api")
RETRY_AFTER_SECONDS = 5


class PluginFailure(Exception):
    """A plugin's hook raised while serving a request: named, so that the client and the log say whose it was."""

    def __init__(self, plugin: str, hook: str, error: BaseException):
        super().__init__(f"plugin {plugin} failed in {hook}")
        self.plugin, self.hook, self.error = plugin, hook, error


def error_id() -> str:
    return secrets.token_hex(6)


def unavailable(exc: BaseException) -> bool:
    """Is this the database being unreachable (down, restarting, refusing connections), not a fault of the request?"""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, (ConnectionError, sa_exc.TimeoutError)):
            return True
        if isinstance(exc, sa_exc.DBAPIError) and (exc.connection_invalidated or isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError))):
            return True
        if type(exc).__module__.startswith("asyncpg") and type(exc).__name__ in (
            "CannotConnectNowError", "ConnectionDoesNotExistError", "ConnectionFailureError", "AdminShutdownError",
            "TooManyConnectionsError", "InterfaceError",
        ):
            return True
        if isinstance(exc, socket.gaierror):  # the database host name does not resolve
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def internal(exc: BaseException, where: str = "") -> GraphQLError:
    """The error a client sees for `exc`, logged with an id the client can quote."""
    ident = error_id()
    if unavailable(exc):
        log.warning("database unavailable%s: %s: %s [error id %s]", where, type(exc).__name__, str(exc)[:200], ident)
        return GraphQLError("the database is not reachable right now; try again in a few seconds",
                            extensions={"code": "UNAVAILABLE", "errorId": ident})
    if isinstance(exc, PluginFailure) and unavailable(exc.error):
        return internal(exc.error, where)
    if isinstance(exc, PluginFailure):
        log.error("plugin %s failed in %s%s [error id %s]", exc.plugin, exc.hook, where, ident, exc_info=exc.error)
        return GraphQLError(f"the plugin {exc.plugin} failed; the error id is {ident}",
                            extensions={"code": "INTERNAL", "plugin": exc.plugin, "errorId": ident})
    log.error("internal error%s [error id %s]", where, ident, exc_info=exc)
    return GraphQLError(f"internal error; the error id is {ident}", extensions={"code": "INTERNAL", "errorId": ident})


def _deliberate(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return True
    # Request-level errors (variables that do not fit their types) have no path; a scalar's ValueError says why.
    return error.path is None and isinstance(original, (ValueError, TypeError))


def _request_code(error: GraphQLError) -> str:
    """INVALID when a scalar refused a value (out of range, not a date), BAD_USER_INPUT for any other misfit."""
    cause = error.original_error
    while isinstance(cause, GraphQLError) and cause.original_error is not None:
        cause = cause.original_error
    return "INVALID" if isinstance(cause, ValueError) else "BAD_USER_INPUT"


def present(errors: list[GraphQLError], operation: str | None) -> list[GraphQLError]:
    """The errors as the client sees them: deliberate ones with a code, everything else masked."""
    shown = []
    from crm.api.errors import Invalid

    for error in errors:
        if isinstance(error.original_error, Invalid) and error.original_error.errors:
            # A query argument refused with the mutation's vocabulary (a page size, a cursor): same code as bad_input.
            first = error.original_error.errors[0]
            error.extensions = {"code": "BAD_USER_INPUT", "field": first.field, "reason": first.code}
            error.original_error = None
        where = f" in {operation or 'an operation'}" + (f" at {'.'.join(map(str, error.path))}" if error.path else "")
        if _deliberate(error):
            if "code" not in error.extensions:
                error.extensions = {**error.extensions, "code": _request_code(error) if error.path is None else "INTERNAL"}
            log.info("refused%s: %s: %s", where, error.extensions["code"], error.message[:200])
            shown.append(error)
            continue
        cause = error.original_error
        plugin = plugin_in_traceback(cause)
        masked = internal(PluginFailure(plugin, "a resolver", cause) if plugin else cause, where)
        shown.append(GraphQLError(masked.message, error.nodes, path=error.path, extensions=masked.extensions))
    return shown


def status_of(errors: list[GraphQLError] | None) -> int | None:
    """The HTTP status a response with these errors should have: 503 while the database is away."""
    if errors and any(e.extensions.get("code") == "UNAVAILABLE" for e in errors):
        return 503
    return None
