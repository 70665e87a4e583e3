"""Requests a hostile client sends before logging in, against a real server: each is refused with a coded error while
`/healthz` keeps answering. How fast each refusal is belongs to `python -m bench.hostile` (docs/benchmarks.md); the
bounds here are only wide enough to tell "refused before expanding" from "expanded 2^40 fields"."""

from __future__ import annotations

import asyncio
import time

import httpx


def fan_out(levels: int) -> str:
    """Each fragment spreads the next twice: 2^levels fields from a document of a few hundred bytes."""
    fragments = " ".join(f"fragment F{i} on User {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    return f"query {{ me {{ ...F0 }} }} {fragments} fragment F{levels} on User {{ id }}"


async def timed_post(client: httpx.AsyncClient, url: str, **kw) -> tuple[httpx.Response, float]:
    start = time.perf_counter()
    response = await client.post(url, **kw)
    return response, time.perf_counter() - start


async def health_while(client: httpx.AsyncClient, base: str, attack) -> tuple[object, list[float]]:
    """Run `attack` while asking /healthz every 20 ms; the attack's result and the health checks' latencies."""
    latencies: list[float] = []
    done = asyncio.Event()

    async def poll():
        while not done.is_set():
            start = time.perf_counter()
            assert (await client.get(f"{base}/healthz")).status_code == 200
            latencies.append(time.perf_counter() - start)
            await asyncio.sleep(0.02)

    poller = asyncio.create_task(poll())
    try:
        result = await attack()
    finally:
        await asyncio.sleep(0.05)
        done.set()
        await poller
    return result, latencies


async def test_fragment_fan_out_is_refused_before_it_expands(make_app, live_server):
    base = await live_server(await make_app())
    async with httpx.AsyncClient(timeout=30) as client:
        await client.post(f"{base}/graphql", json={"query": "{ __typename }"})  # warm the worker

        async def attack():
            return [await timed_post(client, f"{base}/graphql", json={"query": fan_out(levels)}) for levels in (20, 25, 40)]

        answers, health = await health_while(client, base, attack)
    for response, seconds in answers:
        body = response.json()
        assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX", body
        assert seconds < 2, f"refused in {seconds:.3f} s"  # expanding 2^25 fields would take minutes
    assert health and max(health) < 2


async def test_repeated_fields_and_oversized_documents_are_refused_quickly(make_app, live_server):
    base = await live_server(await make_app())
    async with httpx.AsyncClient(timeout=30) as client:
        await client.post(f"{base}/graphql", json={"query": "{ __typename }"})
        cases = [
            ("{" + " __typename" * 200_000 + " }", 413, "REQUEST_TOO_LARGE"),  # 2.2 MB: refused by its length
            ("{" + " __typename" * 40_000 + " }", 200, "QUERY_TOO_LARGE"),  # 440 kB: too many characters
            ("{" + " a" * 6_000 + " }", 200, "QUERY_TOO_LARGE"),  # 12 kB: too many tokens
        ]

        async def attack():
            return [await timed_post(client, f"{base}/graphql", json={"query": q}) for q, _, _ in cases]

        answers, health = await health_while(client, base, attack)
    for (response, seconds), (_, status, code) in zip(answers, cases):
        assert response.status_code == status
        assert response.json()["errors"][0]["extensions"]["code"] == code
        assert seconds < 2, f"{code} in {seconds:.3f} s"
    assert health and max(health) < 2


async def test_deeply_nested_and_huge_bodies_are_refused_before_parsing(make_app, live_server):
    base = await live_server(await make_app())
    async with httpx.AsyncClient(timeout=30) as client:
        nested = b'{"query": "{ __typename }", "variables": {"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
        response = await client.post(f"{base}/graphql", content=nested, headers={"Content-Type": "application/json"})
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
        assert "nests deeper" in response.json()["errors"][0]["message"]

        async def hundred_megabytes():
            chunk = b" " * 1_000_000
            for _ in range(100):
                yield chunk

        start = time.perf_counter()
        try:
            response = await client.post(f"{base}/graphql", content=hundred_megabytes(), headers={"Content-Type": "application/json"})
            assert response.status_code == 413
        except httpx.TransportError:
            pass  # the server answered 413 and closed the connection while the client was still sending
        assert time.perf_counter() - start < 5
        assert (await client.get(f"{base}/healthz")).status_code == 200
        # A body that is not JSON is a coded error too, not plain text.
        garbage = await client.post(f"{base}/graphql", content=b"{not json", headers={"Content-Type": "application/json"})
        assert garbage.status_code == 400 and garbage.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_every_response_carries_security_headers(make_app):
    api = await make_app()
    api_response = await api.client.post("/graphql", json={"query": "{ __typename }"})
    page = await api.client.get("/graphql", headers={"Accept": "text/html"})
    for response in (api_response, page, await api.client.get("/healthz")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert api_response.headers["content-security-policy"].startswith("default-src 'none'")
    # GraphiQL comes from this server's own files (it works without the internet), so its page allows nothing else.
    assert "http" not in page.headers["content-security-policy"] and "script-src 'self'" in page.headers["content-security-policy"]
    assert "/app/assets/graphiql-" in page.text
