"""What the bridge adds to contracts: the deal or order a contract came from, and its renewal deal."""

from __future__ import annotations

import strawberry

import crm
from crm import Invalid, fetch_for_write, mutation, requires
from crm.plugins.contracts.models import Contract
from crm.plugins.contracts.schema import types as contract_types
from crm.plugins.contracts_sales.models import ContractSale
from crm.plugins.sales.models import Opportunity, Order
from crm.plugins.sales.schema import types as sales_types


async def _link(info, contract_id) -> ContractSale | None:
    async with info.context.db.read() as session:
        return await session.get(ContractSale, int(contract_id))


@strawberry.type
class ContractSales:
    @strawberry.field(description="The deal this contract came from.")
    @requires("opportunity", "read", or_null=True)
    async def opportunity(self, info: strawberry.Info) -> sales_types.Opportunity | None:
        link = await _link(info, self.id)
        return await crm.visible_loader(info.context, Opportunity, "opportunity").load(link.opportunity_id) if link and link.opportunity_id else None

    @strawberry.field(description="The order this contract came from.")
    @requires("order", "read", or_null=True)
    async def order(self, info: strawberry.Info) -> sales_types.OrderRef | None:
        link = await _link(info, self.id)
        return await crm.visible_loader(info.context, Order, "order").load(link.order_id) if link and link.order_id else None

    @strawberry.field(description="The deal opened to renew this contract's current term, at its notice date.")
    @requires("opportunity", "read", or_null=True)
    async def renewal_opportunity(self, info: strawberry.Info) -> sales_types.Opportunity | None:
        link = await _link(info, self.id)
        if link is None or link.renewal_opportunity_id is None:
            return None
        return await crm.visible_loader(info.context, Opportunity, "opportunity").load(link.renewal_opportunity_id)


@strawberry.input
class SetContractOriginInput:
    contract_id: strawberry.ID
    opportunity_id: strawberry.ID | None = None
    order_id: strawberry.ID | None = None


@strawberry.type
class ContractSalesMutation:
    @strawberry.mutation(description="Say which deal or order a contract came from (both of its customer, both readable).")
    @requires("contract", "write")
    async def set_contract_origin(self, info: strawberry.Info, input: SetContractOriginInput) -> contract_types.ContractPayload:
        async def work(session):
            contract = await fetch_for_write(session, info, Contract, input.contract_id, resource="contract", field="contractId")
            link = await session.get(ContractSale, contract.id) or ContractSale(contract_id=contract.id)
            for field, model, resource, raw in (("opportunityId", Opportunity, "opportunity", input.opportunity_id),
                                                ("orderId", Order, "order", input.order_id)):
                record = None
                if raw is not None:
                    record = await fetch_for_write(session, info, model, raw, resource=resource, field=field, action="read")
                    if record.customer_id != contract.customer_id:
                        raise Invalid.one(field, "INVALID", f"the {resource} belongs to another customer")
                setattr(link, "opportunity_id" if model is Opportunity else "order_id", record.id if record else None)
                if model is Order:  # order-to-cash starts at the order's confirmation, not at the contract's signing
                    contract.cash_from = record.confirmed_at.date() if record is not None and record.confirmed_at else None
            session.add(link)
            contract.updated_at = crm.utcnow()
            return contract_types.ContractPayload(contract=contract)

        return await mutation(info, contract_types.ContractPayload, work)


async def open_renewal(session, contract: Contract) -> None:
    """crm_on_contract_renewal_due: a deal to renew the term, as the contract's owner would open it."""
    from crm.plugins.sales.schema.opportunities import CreateOpportunityInput, add_opportunity

    link = await session.get(ContractSale, contract.id) or ContractSale(contract_id=contract.id)
    if link.renewal_for == contract.end_date:
        return  # this term's renewal deal exists already
    ctx = await crm.acting_as(session.info["runtime"], contract.owner_id)
    opportunity = await add_opportunity(session, ctx, CreateOpportunityInput(
        name=f"Renewal: {contract.number} {contract.title}"[:300], customer_id=str(contract.customer_id), amount=contract.value,
        currency=contract.currency, expected_close_date=contract.end_date, source="renewal"))
    link.renewal_opportunity_id, link.renewal_for = opportunity.id, contract.end_date
    session.add(link)
