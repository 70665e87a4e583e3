"""The pieces every scenario file uses: a scenario, the shared context, and GraphQL calls that fail loudly."""

from __future__ import annotations

import dataclasses
import hashlib
import random
from collections.abc import Awaitable, Callable
from typing import Any

import httpx


class BenchError(Exception):
    """A request that did not succeed: counted as an error of the run."""


@dataclasses.dataclass(frozen=True)
class Scenario:
    """`call(client, ctx, worker)` performs one operation (one or more requests) and raises BenchError on failure.
    `plugin` names the module that must be enabled; `target` is "graphql" or "raw"."""

    name: str
    call: Callable[[httpx.AsyncClient, Any, int], Awaitable[None]]
    plugin: str = "core"
    target: str = "graphql"
    writes: bool = False


@dataclasses.dataclass
class Context:
    token: str
    customers: int
    customer_ids: list[int]
    deep_cursor: str | None
    deep_offset: int
    pipeline_id: str | None
    rng: random.Random = dataclasses.field(default_factory=lambda: random.Random(7))
    extra: dict = dataclasses.field(default_factory=dict)


async def gql(client: httpx.AsyncClient, ctx: Context, query: str, variables: dict | None = None) -> dict:
    """Send `query` as a front-end with persisted queries does (Apollo's protocol): its SHA-256 only, and the text
    once more when the worker that answers has not seen it yet."""
    digest = hashlib.sha256(query.encode()).hexdigest()
    payload = {"variables": variables or {}, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}
    headers = {"Authorization": f"Bearer {ctx.token}"}
    body = await _post(client, payload, headers)
    if _not_persisted(body):
        body = await _post(client, {**payload, "query": query}, headers)
    if body.get("errors"):
        raise BenchError(str(body["errors"])[:300])
    for value in body["data"].values():
        if isinstance(value, dict) and value.get("errors"):
            raise BenchError(str(value["errors"])[:300])
    return body["data"]


async def _post(client: httpx.AsyncClient, payload: dict, headers: dict) -> dict:
    response = await client.post("/graphql", json=payload, headers=headers)
    if response.status_code != 200:
        raise BenchError(f"HTTP {response.status_code}: {response.text[:200]}")
    return response.json()


def _not_persisted(body: dict) -> bool:
    return any((e.get("extensions") or {}).get("code") == "PERSISTED_QUERY_NOT_FOUND" for e in body.get("errors") or [])
