"""The bridge's one table: which opportunity a converted lead became."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from crm import ID, Model


class LeadOpportunity(Model):
    __tablename__ = "leads_sales_opportunity"
    __plugin__ = "leads_sales"

    lead_id: Mapped[int] = mapped_column(ID, ForeignKey("leads_lead.id", ondelete="CASCADE"), primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ID, ForeignKey("sales_opportunity.id", ondelete="CASCADE"), nullable=False, index=True)
