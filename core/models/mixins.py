"""Mixins for business records: ownership, timestamps, soft delete, optimistic concurrency.

A class that mixes in `BusinessRecord` and names its `__resource__` is audited automatically
(crm.audit.listener): every insert, change, soft delete and restore writes an audit entry.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from crm.models.types import ID, UTCDateTime, utcnow


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)


class Owned:
    @declared_attr
    def owner_id(cls) -> Mapped[int]:
        return mapped_column(ID, ForeignKey("core_user.id"), nullable=False, index=True)


class SoftDeletable:
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, default=None)


class Versioned:
    """`version` goes up by one on every update; SQLAlchemy refuses an UPDATE whose row moved on meanwhile."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}


class BusinessRecord(Timestamped, Owned, SoftDeletable, Versioned):
    """Owned, timestamped, soft-deletable, versioned and audited. Set `__resource__` to the permission resource."""

    __resource__: str = ""
