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


SCENARIOS = [
    Scenario("sales funnel", funnel, plugin="sales"),
    Scenario("sales forecast", forecast, plugin="sales"),
    Scenario("sales performance", performance, plugin="sales"),
]
