"""The physical limit: the list of scenario (1) through a bare starlette endpoint (bench/raw_app.py)."""

from bench.harness import BenchError, Scenario


async def _list(client, ctx, after):
    response = await client.post("/raw/customers", json={"first": 50, "after": after}, headers={"Authorization": f"Bearer {ctx.token}"})
    if response.status_code != 200:
        raise BenchError(f"HTTP {response.status_code}: {response.text[:200]}")
    response.json()


async def raw_first(client, ctx, worker):
    await _list(client, ctx, None)


async def raw_deep(client, ctx, worker):
    await _list(client, ctx, ctx.deep_cursor)


SCENARIOS = [
    Scenario("raw list 50: first page", raw_first, target="raw"),
    Scenario("raw list 50: deep page", raw_deep, target="raw"),
]
