from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from crm.models import BusinessRecord, JSONType, Model, id_column
from crm.models.types import ID


class SavedView(BusinessRecord, Model):
    """A named filter and order of one list (customers, opportunities, leads, ...), its owner's, shared with a team
    when `team_id` is set. `filter` and `order_by` are the list's GraphQL input values as a front-end sends them."""

    __tablename__ = "core_saved_view"
    __resource__ = "saved_view"
    __table_args__ = (
        # One name per owner and list among live views (a deleted one may be restored under another name).
        Index("uq_core_saved_view_name", "owner_id", "list", "name", unique=True,
              postgresql_where=text("deleted_at IS NULL"), sqlite_where=text("deleted_at IS NULL")),
        Index("ix_core_saved_view_team", "team_id", "list"),
    )

    id: Mapped[int] = id_column()
    list: Mapped[str] = mapped_column(String(50), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    filter: Mapped[dict] = mapped_column(JSONType, nullable=False, default=dict)
    order_by: Mapped[dict | None] = mapped_column(JSONType)
    team_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_team.id"))
