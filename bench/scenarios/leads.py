"""Leads: a pool's page of waiting leads, reps claiming from one pool at once, the campaign report, the funnel."""

from datetime import date, timedelta

from bench.harness import BenchError, Scenario, gql

FROM = (date.today() - timedelta(days=365)).isoformat()
TO = date.today().isoformat()
POOL = """query($p: ID!) { leadPool(poolId: $p, first: 50) { edges { node { id name source score createdAt } } pageInfo { endCursor } } }"""
NEXT = """query($p: ID!, $a: String) { leadPool(poolId: $p, first: 1, after: $a) { edges { node { id } } } }"""
CLAIM = """mutation($i: ClaimLeadInput!) { claimLead(input: $i) { lead { id } errors { code } } }"""
LOGIN = """mutation($i: LoginInput!) { login(input: $i) { token } }"""


async def _pool(client, ctx) -> str:
    if "pool" not in ctx.extra:
        pools = await gql(client, ctx, "{ leadPools { id name } }")
        ctx.extra["pool"] = next(p["id"] for p in pools["leadPools"] if p["name"] == "Bench pool 1")
    return ctx.extra["pool"]


async def pool_page(client, ctx, worker):
    await gql(client, ctx, POOL, {"p": await _pool(client, ctx)})


async def claim(client, ctx, worker):
    """Each worker is its own rep (a pool member): it reads the pool's oldest waiting lead and claims it. Every
    worker races for the same lead; CONFLICT is the expected answer for all but one, anything else is an error."""
    from crm.bench.generate import BENCH_PASSWORD

    pool = await _pool(client, ctx)
    tokens = ctx.extra.setdefault("rep_tokens", {})
    if worker not in tokens:
        body = (await client.post("/graphql", json={"query": LOGIN, "variables": {"i": {"email": f"bench-{worker + 1}@example.com",
                                                                                           "password": BENCH_PASSWORD}}})).json()
        tokens[worker] = body["data"]["login"]["token"]
    headers = {"Authorization": f"Bearer {tokens[worker]}"}
    page = (await client.post("/graphql", json={"query": NEXT, "variables": {"p": pool}}, headers=headers)).json()
    edges = page["data"]["leadPool"]["edges"]
    if not edges:
        raise BenchError("the pool is empty")
    answer = (await client.post("/graphql", json={"query": CLAIM, "variables": {"i": {"leadId": edges[0]["node"]["id"]}}},
                                headers=headers)).json()
    if answer.get("errors"):
        raise BenchError(str(answer["errors"])[:300])
    codes = [e["code"] for e in answer["data"]["claimLead"]["errors"]]
    ctx.extra["claims"] = ctx.extra.get("claims", 0) + (not codes)
    ctx.extra["conflicts"] = ctx.extra.get("conflicts", 0) + ("CONFLICT" in codes)
    if codes and codes != ["CONFLICT"] and codes != ["LIMIT_REACHED"]:
        raise BenchError(f"claim refused with {codes}")


async def campaign_report(client, ctx, worker):
    await gql(client, ctx, f"""{{ campaignReport(from: "{FROM}", to: "{TO}", groupBy: SOURCE) {{ rows {{ key leads converted }} }} }}""")


async def lead_funnel(client, ctx, worker):
    await gql(client, ctx, f"""{{ leadFunnel(from: "{FROM}", to: "{TO}", groupBy: SOURCE) {{ key created worked medianDaysToWork }} }}""")


SCENARIOS = [
    Scenario("lead pool page", pool_page, plugin="leads"),
    Scenario("lead claim (all reps, one pool)", claim, plugin="leads", writes=True),
    Scenario("campaign report", campaign_report, plugin="leads"),
    Scenario("lead funnel", lead_funnel, plugin="leads"),
]
