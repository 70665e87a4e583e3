"""The bridge's hooks: contracts get their deal and order; a renewal notice opens a renewal deal with sales' own rules."""

from __future__ import annotations

from crm import GraphQLContribution, hookimpl
from crm.plugins.contracts_sales import schema
from crm.plugins.contracts_sales.models import ContractSale


@hookimpl
def crm_register_models():
    return [ContractSale]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(mutation=[schema.ContractSalesMutation], extends={"Contract": [schema.ContractSales]})


@hookimpl
async def crm_on_contract_renewal_due(session, contract):
    await schema.open_renewal(session, contract)
