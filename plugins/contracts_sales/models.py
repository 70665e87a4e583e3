"""The link between a contract and sales: the deal or order it came from, and the renewal deal of its current term."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from crm import ID, Model


class ContractSale(Model):
    __tablename__ = "contracts_sales_link"
    __plugin__ = "contracts_sales"

    contract_id: Mapped[int] = mapped_column(ID, ForeignKey("contracts_contract.id", ondelete="CASCADE"), primary_key=True)
    opportunity_id: Mapped[int | None] = mapped_column(ID, ForeignKey("sales_opportunity.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ID, ForeignKey("sales_order.id"), index=True)
    renewal_opportunity_id: Mapped[int | None] = mapped_column(ID, ForeignKey("sales_opportunity.id"))
    renewal_for: Mapped[date | None] = mapped_column(Date)  # the end date of the term the renewal deal is for
