"""Mutation payloads: the record changed (null when refused) and `errors`, the typed reasons for a refusal."""

from __future__ import annotations

from typing import Any

import strawberry

from crm.api.errors import UserError

_payload_types: dict[str, tuple[type, dict]] = {}


def payload_type(name: str, description: str | None = None, **fields: Any) -> type:
    """`{name}Payload` with each of `fields` (a GraphQL type, or `(type, description)`), null by default, and
    `errors: [UserError!]!`. `payload_type("Opportunity", opportunity=Opportunity)` is what `createOpportunity`
    returns; build it with `OpportunityPayload(opportunity=opp)`, and `mutation()` builds the refusal."""
    type_name = f"{name}Payload"
    if type_name in _payload_types:
        known, shape = _payload_types[type_name]
        if shape != fields:  # two modules naming different payloads alike would get one silently
            raise ValueError(f"{type_name} is already defined with other fields ({', '.join(shape)}); name yours differently")
        return known
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {}
    for field, spec in fields.items():
        kind, about = spec if isinstance(spec, tuple) else (spec, None)
        annotations[field] = kind | None
        namespace[field] = strawberry.field(default=None, description=about)
    annotations["errors"] = list[UserError]
    namespace["errors"] = strawberry.field(default_factory=list, description="Why the mutation was refused; empty when it was done.")
    namespace["__annotations__"] = annotations
    cls = strawberry.type(type(type_name, (), namespace), name=type_name, description=description)
    _payload_types[type_name] = (cls, dict(fields))
    return cls


@strawberry.type(description="What a delete or another change without a record to return answers.")
class DeletePayload:
    errors: list[UserError] = strawberry.field(default_factory=list)
