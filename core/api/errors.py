"""Errors. Validation failures are data (`errors: [UserError!]!` in a payload); authentication and permission
failures are GraphQL errors with `extensions.code` UNAUTHENTICATED or FORBIDDEN."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError


# The codes of `UserError.code` every module shares. A plugin adds its own through `crm_register_error_codes` (one
# that means the same as one of these uses this one); docs/api.md lists them all.
CORE_ERROR_CODES = {
    "INVALID": "The value cannot be used: out of range, badly formed, or not allowed in this state.",
    "REQUIRED": "The field must be given and not empty.",
    "NOT_FOUND": "No such record, or one outside the caller's scope (the two are not told apart).",
    "CONFLICT": "The record changed since the given version was read: reload it and apply the change again.",
    "DUPLICATE": "Another record already has this unique value.",
    "FORBIDDEN": "The caller's grants do not allow this change to this record.",
    "IN_USE": "Other records still use this one: it cannot be removed or changed this way.",
    "THROTTLED": "Too many attempts: wait as long as the message says.",
    "INVALID_CREDENTIALS": "Wrong email or password.",
    "WEAK_PASSWORD": "The new password is too short or too easy to guess.",
    "UNKNOWN_FIELD": "There is no custom field with this key.",
    "TOO_LARGE": "The input is over the size limit the message names.",
    "PLUGIN_DISABLED": "A disabled plugin still holds records this change would touch: enable it first.",
    "PLUGIN_FAILED": "The plugin cannot be enabled here (a dependency, the core API version, its schema or a migration; "
                     "the message says which). Nothing was changed.",
    "APPROVAL_REQUIRED": "An approval chain covers the record and it is not approved as it is now: submit it for approval first.",
}


@strawberry.type(description="Why a mutation was refused. Nothing was changed.")
class UserError:
    field: str | None = strawberry.field(description="The input field at fault, in camelCase; null when it is the whole input.")
    code: str = strawberry.field(description="Machine-readable, from a documented set (docs/api.md): the core's INVALID, "
                                 "REQUIRED, NOT_FOUND, CONFLICT, DUPLICATE, FORBIDDEN, IN_USE, THROTTLED, ... and those "
                                 "plugins declare.")
    message: str = strawberry.field(description="What is wrong, for people to read.")


class Invalid(Exception):
    """Raise inside a mutation to refuse it: the transaction rolls back and the payload carries the errors."""

    def __init__(self, *errors: UserError):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = list(errors)

    @classmethod
    def one(cls, field: str | None, code: str, message: str) -> Invalid:
        return cls(UserError(field=field, code=code, message=message))


def unauthenticated(message: str = "log in first: send `Authorization: Bearer <token>`") -> GraphQLError:
    return GraphQLError(message, extensions={"code": "UNAUTHENTICATED"})


def forbidden(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "FORBIDDEN"})


def not_found(field: str, what: str) -> Invalid:
    return Invalid.one(field, "NOT_FOUND", f"{what} not found")


def conflict(what: str, current: int) -> Invalid:
    return Invalid.one(
        "version", "CONFLICT", f"{what} was changed by someone else (now version {current}); reload it and apply your change again"
    )


def bad_input(field: str, message: str) -> GraphQLError:
    """A query argument that cannot be used (queries have no payload to carry typed errors)."""
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT", "field": field})
