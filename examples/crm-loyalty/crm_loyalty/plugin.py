"""The loyalty plugin's hooks: everything it adds to the CRM is declared here."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from crm import READ_ALL_GRANTS, SCOPED_GRANTS, ConsolePage, GraphQLContribution, Job, Resource, hookimpl
from crm_loyalty import jobs, models, points
from crm_loyalty.schema import CustomerLoyalty, LoyaltyMutation, LoyaltyQuery


@hookimpl
def crm_register_models():
    return [models.Account, models.Entry, models.Programme, models.BirthdayGift]


@hookimpl
def crm_register_permissions():
    return [
        # Scoped by the customer's owner: a rep reads and changes the points of their own customers.
        Resource("loyalty_account", "Customers' loyalty points and tiers.", default_grants=SCOPED_GRANTS),
        Resource("loyalty_programme", "The loyalty programme's rules.", default_grants=READ_ALL_GRANTS, owned=False),
    ]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[LoyaltyQuery], mutation=[LoyaltyMutation], extends={"Customer": [CustomerLoyalty]})


@hookimpl
def crm_register_console_pages():
    # The console's build does not know this plugin: the page is drawn by a script of this package (console/loyalty.js).
    return [ConsolePage("/loyalty", "Loyalty", "loyalty_account", script=Path(__file__).parent / "console" / "loyalty.js")]


@hookimpl
def crm_register_error_codes():
    return {"INSUFFICIENT_POINTS": "The customer has fewer points than the redemption or deduction asks for."}


@hookimpl
def crm_register_jobs():
    return [Job("loyalty.expire", timedelta(hours=1), jobs.expire), Job("loyalty.birthdays", timedelta(hours=6), jobs.birthdays)]


@hookimpl
async def crm_on_order_confirmed(session, order):
    await points.earn_for_order(session, order)


@hookimpl
async def crm_on_order_cancelled(session, order):
    await points.reverse_order(session, order)


@hookimpl
async def crm_on_customers_merged(session, target, source_ids):
    await points.merge_accounts(session, target.id, source_ids)
