"""The rules admins write: for one kind of record, which users take turns, and which records the rule is for."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from crm.models import JSONType, Model, SoftDeletable, Timestamped, Versioned, id_column
from crm.models.types import ID


class AssignmentRule(Timestamped, SoftDeletable, Versioned, Model):
    __tablename__ = "core_assignment_rule"
    __resource__ = "assignment_rule"

    id: Mapped[int] = id_column()
    resource: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    strategy: Mapped[str] = mapped_column(String(20), nullable=False)  # round_robin | least_loaded
    user_ids: Mapped[list] = mapped_column(JSONType, nullable=False, default=list)
    team_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_team.id"))
    conditions: Mapped[dict] = mapped_column(JSONType, nullable=False, default=dict)  # {field: [values]}, all must match
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Bumped by every assignment through the rule, outside the record's version (an assignment is no edit of the
    # rule): the next turn of a round robin, and the row lock that makes concurrent assignments take turns.
    turn: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
