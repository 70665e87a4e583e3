"""Inputs shared by many mutations."""

import strawberry


@strawberry.input(description="Names one record.")
class IdInput:
    id: strawberry.ID
