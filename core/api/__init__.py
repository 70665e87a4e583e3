"""The GraphQL API: composition of the schema from plugins, request context, access checks, pagination."""
