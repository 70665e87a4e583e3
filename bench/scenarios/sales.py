"""Sales analysis over every opportunity (the generator spreads them over the last two years)."""

from datetime import date, timedelta

from bench.harness import Scenario, gql

FROM = (date.today() - timedelta(days=730)).isoformat()
TO = date.today().isoformat()


async def funnel(client, ctx, worker):
    await gql(client, ctx, f"""query($p: ID!) {{ salesFunnel(pipelineId: $p, from: "{FROM}", to: "{TO}") {{
        opportunities stages {{ reached conversionRate avgDaysInStage }} }} }}""", {"p": ctx.pipeline_id})


async def forecast(client, ctx, worker):
    await gql(client, ctx, f"""{{ salesForecast(period: QUARTER, from: "{FROM}", to: "{TO}", groupBy: TEAM) {{
        rows {{ key period weighted committed closedWon }} }} }}""")


async def performance(client, ctx, worker):
    await gql(client, ctx, f"""{{ salesPerformance(from: "{FROM}", to: "{TO}", groupBy: OWNER) {{
        rows {{ key wonCount wonAmount winRate avgCycleDays previousPeriodWonAmount lastYearWonAmount }} }} }}""")


async def pivot(client, ctx, worker):
    await gql(client, ctx, f"""{{ salesPerformance(from: "{FROM}", to: "{TO}", groupBy: PRODUCT, thenBy: REGION) {{
        rows {{ key subKey wonCount wonAmount winRate lastYearWonAmount }} }} }}""")


async def pivot_filtered(client, ctx, worker):
    await gql(client, ctx, f"""{{ salesPerformance(from: "{FROM}", to: "{TO}", groupBy: OWNER, thenBy: QUARTER,
        filter: {{industry: "Retail"}}) {{ rows {{ key subKey wonCount wonAmount winRate previousPeriodWonAmount }} }} }}""")


BY_PIPELINE = """query($f: CustomerFilter) { customers(first: 50, filter: $f, orderBy: {value: OPEN_PIPELINE, direction: DESC}) {
  edges { node { id name } } } }"""


async def by_pipeline_owner(client, ctx, worker):
    await gql(client, ctx, BY_PIPELINE, {"f": {"ownerId": "20"}})  # a rep with 7,714 customers in the bench data


async def lost_last_quarter(client, ctx, worker):
    since = (date.today() - timedelta(days=91)).isoformat()
    await gql(client, ctx, """query($f: CustomerFilter) { customers(first: 50, filter: $f) { totalCount edges { node { id } } } }""",
              {"f": {"dealLostFrom": since}})


SCENARIOS = [
    Scenario("sales funnel", funnel, plugin="sales"),
    Scenario("sales forecast", forecast, plugin="sales"),
    Scenario("sales performance", performance, plugin="sales"),
    Scenario("sales pivot product x region", pivot, plugin="sales"),
    Scenario("sales pivot owner x quarter, one industry", pivot_filtered, plugin="sales"),
    Scenario("list 50 by open pipeline: one rep's customers", by_pipeline_owner, plugin="sales"),
    Scenario("customers who lost a deal last quarter, with count", lost_last_quarter, plugin="sales"),
]
