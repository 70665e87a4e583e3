"""Contracts take approval through the core's chains: what chains test, and the contract's status following its request."""

from __future__ import annotations

from sqlalchemy import select

import crm
from crm.plugins.contracts import history
from crm.plugins.contracts.models import EDITABLE, Contract


async def facts(session, contract: Contract) -> dict:
    region = await session.scalar(select(crm.Customer.region).where(crm.Customer.id == contract.customer_id))
    return {"value": contract.value, "currency": contract.currency, "title": f"Contract {contract.number}: {contract.title}",
            "region": region, "auto_renew": str(contract.auto_renew).lower()}


def ready(contract: Contract) -> str | None:
    if contract.status not in EDITABLE:
        return f"a {contract.status.replace('_', ' ')} contract is not submitted for approval"
    return None


TARGET = crm.ApprovalTarget("contract", Contract, facts, fields=("region", "currency", "auto_renew"), ready=ready)


async def submitted(session, request, contract: Contract) -> None:
    contract.status = "approved" if request.status == "approved" else "pending_approval"
    contract.updated_at = crm.utcnow()
    history.record(session, contract, "submitted")
    if request.status == "approved":
        history.record(session, contract, "approved", "no approval step applies")


async def decided(session, request, contract: Contract) -> None:
    last = request.status  # approved rejected withdrawn
    contract.status = {"approved": "approved", "rejected": "rejected", "withdrawn": "draft"}[last]
    contract.updated_at = crm.utcnow()
    history.record(session, contract, last)
