"""Contracts: receivables with ageing, the overdue list, a page of contracts; `python -m bench.contracts_overdue` times
the reminder job."""

from bench.harness import Scenario, gql

RECEIVABLES = """query($g: ReceivablesGroup) { receivables(groupBy: $g) { rows { key due outstanding overdue overdueOver90Days
  daysSalesOutstanding orderToCashDays } } }"""
OVERDUE = """{ overduePayments(first: 50) { edges { node { daysOverdue outstanding installment { dueDate amount } contract { number } } } } }"""
CONTRACTS = """{ contracts(first: 50) { edges { node { number title status value currency endDate } } } }"""


async def receivables_by_owner(client, ctx, worker):
    await gql(client, ctx, RECEIVABLES, {"g": "OWNER"})


async def receivables_by_month(client, ctx, worker):
    await gql(client, ctx, RECEIVABLES, {"g": "PERIOD"})


async def overdue_page(client, ctx, worker):
    await gql(client, ctx, OVERDUE)


async def contracts_page(client, ctx, worker):
    await gql(client, ctx, CONTRACTS)


SCENARIOS = [
    Scenario("receivables by owner", receivables_by_owner, plugin="contracts"),
    Scenario("receivables by month", receivables_by_month, plugin="contracts"),
    Scenario("overdue installments page", overdue_page, plugin="contracts"),
    Scenario("contracts page", contracts_page, plugin="contracts"),
]
