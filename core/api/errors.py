"""Errors. Validation failures are data (`errors: [UserError!]!` in a payload); authentication and permission
failures are GraphQL errors with `extensions.code` UNAUTHENTICATED or FORBIDDEN."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError


@strawberry.type(description="Why a mutation was refused. Nothing was changed.")
class UserError:
    field: str | None = strawberry.field(description="The input field at fault, in camelCase; null when it is the whole input.")
    code: str = strawberry.field(description="Machine-readable: INVALID, REQUIRED, NOT_FOUND, CONFLICT, DUPLICATE, FORBIDDEN, THROTTLED, ...")
    message: str


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
