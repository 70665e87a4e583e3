"""Hooks that raise when their name is in FAIL_IN."""

import strawberry

from crm import GraphQLContribution, authenticated, hookimpl

FAIL_IN: set[str] = set()


@strawberry.type
class FaultyQuery:
    @strawberry.field
    @authenticated
    def faulty_answer(self, info: strawberry.Info) -> int:
        if "resolver" in FAIL_IN:
            raise ZeroDivisionError("the faulty plugin divided by zero")
        return 42


@hookimpl
def crm_register_graphql():
    if "graphql" in FAIL_IN:
        raise RuntimeError("the faulty plugin cannot declare its types")
    return GraphQLContribution(query=[FaultyQuery])


@hookimpl
def crm_startup(app):
    if "startup" in FAIL_IN:
        raise RuntimeError("the faulty plugin cannot start")
