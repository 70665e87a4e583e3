"""Contracts: create, change (a change after approval is a new revision), sign, terminate; lists filtered by scope in SQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Optional

import strawberry
from sqlalchemy import delete, select
from strawberry.scalars import JSON

import crm
from crm import IdInput, Invalid, clean_text, fetch_for_write, mutation, parse_id, requires, try_parse_id, utcnow
from crm.plugins.contracts import history
from crm.plugins.contracts.models import EDITABLE, NUMBER, Contract, ContractSignatory, set_notice
from crm.plugins.contracts.schema import types as t

UNSET = strawberry.UNSET


@strawberry.input
class CreateContractInput:
    customer_id: strawberry.ID
    title: str
    value: Decimal = Decimal(0)
    currency: str | None = strawberry.field(default=None, description="Defaults to the reporting currency.")
    start_date: date | None = None
    end_date: date | None = None
    terms: str | None = None
    signatory_ids: list[strawberry.ID] = strawberry.field(default_factory=list, description="Contacts of the customer who sign.")
    auto_renew: bool = False
    notice_days: int = 30
    owner_id: strawberry.ID | None = None
    custom_fields: JSON | None = None


@strawberry.input(description="Change a contract: only the fields given change. A draft or rejected contract changes as it is; "
                                "an approved one starts its next revision, a draft that needs approval again.")
class UpdateContractInput:
    id: strawberry.ID
    version: int
    title: str | None = UNSET
    value: Decimal | None = UNSET
    currency: str | None = UNSET
    start_date: date | None = UNSET
    end_date: date | None = UNSET
    terms: str | None = UNSET
    signatory_ids: list[strawberry.ID] | None = strawberry.field(default=UNSET, description="Contacts of the customer who sign "
                                                                  "(the list replaces the old one).")
    auto_renew: bool | None = UNSET
    notice_days: int | None = UNSET
    owner_id: strawberry.ID | None = UNSET
    custom_fields: JSON | None = UNSET


@strawberry.input
class SignContractInput:
    id: strawberry.ID
    version: int
    signed_on: date | None = strawberry.field(default=None, description="Defaults to today.")


@strawberry.input
class TerminateContractInput:
    id: strawberry.ID
    version: int
    reason: str = strawberry.field(description="Why it is terminated.")
    terminated_on: date | None = strawberry.field(default=None, description="Defaults to today.")


@strawberry.input
class ContractFilter:
    customer_id: strawberry.ID | None = None
    owner_id: strawberry.ID | None = None
    status: t.ContractStatus | None = strawberry.field(default=None, description="Only contracts in these statuses.")
    search: str | None = strawberry.field(default=None, description="Number or title contains this, ignoring case.")
    ending_from: date | None = strawberry.field(default=None, description="End date on or after.")
    ending_to: date | None = strawberry.field(default=None, description="End date on or before.")
    custom_fields: list[crm.CustomFieldFilter] | None = None
    deleted: bool = strawberry.field(default=False, description="True: only deleted contracts; false (the default): only those that are not.")


def _money(value: Decimal) -> Decimal:
    if value < 0:
        raise Invalid.one("value", "INVALID", "a contract's value cannot be negative")
    return value


def _term(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise Invalid.one("endDate", "INVALID", "the end date is before the start date")


def _notice(days: int) -> int:
    if not 0 <= days <= 3650:
        raise Invalid.one("noticeDays", "INVALID", "notice is 0 to 3650 days")
    return days


async def _signatories(session, contract: Contract, raw: list) -> None:
    ids = [parse_id(r, f"signatoryIds.{i}") for i, r in enumerate(raw)]
    found = set((await session.scalars(select(crm.Contact.id).where(crm.Contact.id.in_(ids), crm.Contact.customer_id == contract.customer_id,
                                                                    crm.Contact.deleted_at.is_(None)))).all()) if ids else set()
    missing = [i for i, cid in enumerate(ids) if cid not in found]
    if missing:
        raise Invalid.one(f"signatoryIds.{missing[0]}", "NOT_FOUND", "no such contact at this contract's customer")
    await session.execute(delete(ContractSignatory).where(ContractSignatory.contract_id == contract.id))
    session.add_all(ContractSignatory(contract_id=contract.id, contact_id=cid) for cid in dict.fromkeys(ids))


def contract_conditions(f: ContractFilter | None) -> list:
    f = f or ContractFilter()
    conds = [Contract.deleted_at.is_not(None) if f.deleted else Contract.deleted_at.is_(None)]
    for column, raw in ((Contract.customer_id, f.customer_id), (Contract.owner_id, f.owner_id)):
        if raw is not None:
            conds.append(column == try_parse_id(raw))
    if f.status:
        conds.append(Contract.status == f.status.value)
    if term := crm.search_term(f.search):
        term = f"%{term}%"
        conds.append(Contract.number.ilike(term) | Contract.title.ilike(term))
    if f.ending_from:
        conds.append(Contract.end_date >= f.ending_from)
    if f.ending_to:
        conds.append(Contract.end_date <= f.ending_to)
    return conds


async def list_contracts(info, first, after, conditions, customer_id: int | None = None,
                         last: int | None = None, before: str | None = None) -> t.ContractConnection:
    """Contracts the caller may read, newest first; with `customer_id`, one customer's, read for every customer of a list at once."""
    stmt = select(Contract).where(info.context.access.filter(Contract, "contract"), *conditions)
    return await crm.list_page(info, stmt, order=[Contract.id], direction=crm.SortDirection.DESC,
                               first=first, after=after, last=last, before=before,
                               parent=Contract.customer_id if customer_id is not None else None, parent_id=customer_id)


@strawberry.type
class ContractQuery:
    @strawberry.field(description="Contracts the caller may read, newest first.")
    @requires("contract", "read")
    async def contracts(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                        last: int | None = None, before: str | None = None,
                        filter: ContractFilter | None = None) -> t.ContractConnection:
        conditions = [*contract_conditions(filter), *await crm.custom_field_conditions(info, Contract, "contract", filter.custom_fields if filter else None)]
        return await list_contracts(info, first, after, conditions, last=last, before=before)

    @strawberry.field(description="Active contracts that end within `withinDays` (60), soonest first: what to renew or let go.")
    @requires("contract", "read")
    async def contracts_up_for_renewal(self,
                                       info: strawberry.Info,
                                       within_days: Annotated[int, strawberry.argument(description="Contracts ending within this many days from today.")] = 60,
                                       first: int | None = None,
                                       after: str | None = None,
                                       last: int | None = None, before: str | None = None) -> t.ContractConnection:
        if not 0 <= within_days <= 3650:
            raise crm.bad_input("withinDays", "withinDays is 0 to 3650")
        today = utcnow().date()
        stmt = select(Contract).where(info.context.access.filter(Contract, "contract"), Contract.deleted_at.is_(None), Contract.status == "active",
                                      Contract.end_date >= today, Contract.end_date <= today + timedelta(days=within_days))
        return await crm.list_page(info, stmt, order=[Contract.end_date, Contract.id],
                                   first=first, after=after, last=last, before=before)

    @strawberry.field(description="One contract; null when there is none the caller may read.")
    @requires("contract", "read")
    async def contract(self, info: strawberry.Info, id: strawberry.ID) -> Optional[t.ContractRef]:  # noqa: UP007 - lazy
        contract_id = try_parse_id(id)
        return await crm.visible_loader(info.context, Contract, "contract").load(contract_id) if contract_id else None


async def _contract(session, info, raw_id, version: int | None) -> Contract:
    return await fetch_for_write(session, info, Contract, raw_id, resource="contract", version=version)


@strawberry.type
class ContractMutation:
    @strawberry.mutation(description="A draft contract for a customer the caller may read, numbered C-2026-00001 and so on.")
    @requires("contract", "write")
    async def create_contract(self, info: strawberry.Info, input: CreateContractInput) -> t.ContractPayload:
        ctx = info.context

        async def work(session):
            customer = await fetch_for_write(session, info, crm.Customer, input.customer_id, resource="customer", field="customerId", action="read")
            _term(input.start_date, input.end_date)
            owner_id = await crm.resolve_owner(session, ctx.access, input.owner_id, "ownerId", "contract") if input.owner_id else ctx.user_id
            contract = Contract(number=await crm.next_number(session, "contract", NUMBER), title=clean_text(input.title, "title", required=True, limit=300),
                                customer_id=customer.id, value=_money(input.value), currency=crm.currency_code(input.currency, default=ctx.settings.currency),
                                start_date=input.start_date, end_date=input.end_date, terms=input.terms, status="draft", revision=1,
                                auto_renew=input.auto_renew, notice_days=_notice(input.notice_days), owner_id=owner_id,
                                custom_fields=await crm.clean_custom_fields(session, "contract", input.custom_fields, None))
            set_notice(contract)
            session.add(contract)
            await session.flush()
            await _signatories(session, contract, input.signatory_ids)
            history.record(session, contract, "created")
            return t.ContractPayload(contract=contract)

        return await mutation(info, t.ContractPayload, work)

    @strawberry.mutation(description="Change a contract; CONFLICT when `version` is not the current one. Refused while it waits "
                                     "for approval (withdraw first) and once signed.")
    @requires("contract", "write")
    async def update_contract(self, info: strawberry.Info, input: UpdateContractInput) -> t.ContractPayload:
        ctx = info.context

        async def work(session):
            contract = await _contract(session, info, input.id, input.version)
            if contract.status == "pending_approval":
                raise Invalid.one("id", "INVALID", "this contract waits for approval: withdraw the request to change it")
            if contract.status not in (*EDITABLE, "approved"):
                raise Invalid.one("id", "INVALID", f"a {contract.status} contract does not change; terminate it, or make a new one")
            if contract.status == "approved":  # the approved text stays approved: this is its next revision, to approve again
                contract.status, contract.revision = "draft", contract.revision + 1
                history.record(session, contract, "revised")
            if input.title is not UNSET:
                contract.title = clean_text(input.title, "title", required=True, limit=300)
            if input.value is not UNSET:
                if input.value is None:
                    raise Invalid.one("value", "REQUIRED", "a contract has a value (0 for none)")
                contract.value = _money(input.value)
            if input.currency is not UNSET:
                contract.currency = crm.currency_code(input.currency, default=ctx.settings.currency)
            for field in ("start_date", "end_date", "terms"):
                if getattr(input, field) is not UNSET:
                    setattr(contract, field, getattr(input, field))
            _term(contract.start_date, contract.end_date)
            if input.auto_renew is not UNSET and input.auto_renew is not None:
                contract.auto_renew = input.auto_renew
            if input.notice_days is not UNSET and input.notice_days is not None:
                contract.notice_days = _notice(input.notice_days)
            if input.owner_id is not UNSET:
                if input.owner_id is None:
                    raise Invalid.one("ownerId", "REQUIRED", "every contract has an owner")
                contract.owner_id = await crm.resolve_owner(session, ctx.access, input.owner_id, "ownerId", "contract")
            if input.custom_fields is not UNSET:
                contract.custom_fields = await crm.clean_custom_fields(session, "contract", input.custom_fields, contract.custom_fields)
            if input.signatory_ids is not UNSET:
                await _signatories(session, contract, input.signatory_ids or [])
            set_notice(contract)
            contract.updated_at = utcnow()
            return t.ContractPayload(contract=contract)

        return await mutation(info, t.ContractPayload, work)

    @strawberry.mutation(description="Signed: the contract becomes ACTIVE. It must be approved first, unless no approval chain covers it.")
    @requires("contract", "write")
    async def sign_contract(self, info: strawberry.Info, input: SignContractInput) -> t.ContractPayload:
        async def work(session):
            contract = await _contract(session, info, input.id, input.version)
            if contract.status == "draft" and await crm.approval_required(info, session, "contract", contract):
                raise Invalid.one("id", "APPROVAL_REQUIRED", 'this contract needs approval before it is signed: submitForApproval(input: '
                                                             '{recordType: "contract", recordId: ...})')
            if contract.status not in ("approved", "draft"):
                raise Invalid.one("id", "INVALID", f"a {contract.status.replace('_', ' ')} contract cannot be signed")
            signed = input.signed_on or utcnow().date()
            if signed > utcnow().date():
                raise Invalid.one("signedOn", "INVALID", "a contract cannot be signed in the future")
            contract.status, contract.signed_on, contract.updated_at = "active", signed, utcnow()
            history.record(session, contract, "signed")
            return t.ContractPayload(contract=contract)

        return await mutation(info, t.ContractPayload, work)

    @strawberry.mutation(description="End an active contract early, with the reason kept in its history.")
    @requires("contract", "write")
    async def terminate_contract(self, info: strawberry.Info, input: TerminateContractInput) -> t.ContractPayload:
        async def work(session):
            contract = await _contract(session, info, input.id, input.version)
            if contract.status != "active":
                raise Invalid.one("id", "INVALID", f"only an active contract is terminated (this one is {contract.status.replace('_', ' ')})")
            reason = clean_text(input.reason, "reason", required=True, limit=500)
            ended = input.terminated_on or utcnow().date()
            if contract.signed_on and ended < contract.signed_on:
                raise Invalid.one("terminatedOn", "INVALID", "a contract ends after it was signed")
            contract.status, contract.terminated_on, contract.termination_reason, contract.updated_at = "terminated", ended, reason, utcnow()
            history.record(session, contract, "terminated", reason)
            return t.ContractPayload(contract=contract)

        return await mutation(info, t.ContractPayload, work)

    @strawberry.mutation(description="Soft delete a contract that was never signed; restoreContract brings it back.")
    @requires("contract", "write")
    async def delete_contract(self, info: strawberry.Info, input: IdInput) -> crm.DeletePayload:
        async def work(session):
            contract = await _contract(session, info, input.id, None)
            if contract.status not in (*EDITABLE, "approved"):
                raise Invalid.one("id", "IN_USE", f"a {contract.status.replace('_', ' ')} contract is kept: terminate it instead")
            contract.deleted_at = utcnow()
            return crm.DeletePayload()

        return await mutation(info, crm.DeletePayload, work)

    @strawberry.mutation(description="Bring a deleted contract back.")
    @requires("contract", "write")
    async def restore_contract(self, info: strawberry.Info, input: IdInput) -> t.ContractPayload:
        return await crm.restore(info, Contract, input.id, resource="contract", payload=t.ContractPayload, field="contract")


@strawberry.type
class CustomerContracts:
    @strawberry.field(description="This customer's contracts that the caller may read, newest first.")
    @requires("contract", "read")
    async def contracts(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                        last: int | None = None, before: str | None = None,
                        filter: ContractFilter | None = None) -> t.ContractConnection:
        return await list_contracts(info, first, after, contract_conditions(filter), customer_id=self.id, last=last, before=before)


@strawberry.type
class SummaryContracts:
    @strawberry.field(description="What this customer's signed contracts have overdue, in the reporting currency (today's rate; "
                                  "amounts no rate converts are left out).")
    @requires("payment", "read", or_null=True)
    async def overdue_amount(self, info: strawberry.Info) -> Decimal | None:
        from crm.plugins.contracts.sources import overdue_loader

        return await overdue_loader(info.context).load(self.customer_id)

