"""A contract's history: one immutable row per event, written in the transaction that made it."""

from __future__ import annotations

from crm import utcnow
from crm.plugins.contracts.models import Contract, ContractEvent


def record(session, contract: Contract, kind: str, detail: str | None = None) -> None:
    session.add(ContractEvent(contract_id=contract.id, at=utcnow(), kind=kind, actor_id=session.info.get("actor_id"),
                              revision=contract.revision, detail=detail))
