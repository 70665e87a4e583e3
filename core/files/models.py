"""Files attached to records (a contract's signed PDF, a ticket's screenshot): the attachment and each of its versions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.models import Model, SoftDeletable, Timestamped, UTCDateTime, Versioned, id_column
from crm.models.types import ID


class Attachment(Timestamped, SoftDeletable, Versioned, Model):
    """A named file of a record. Uploading the same name to the same record again adds a version; all are kept."""

    __tablename__ = "core_attachment"
    __table_args__ = (Index("ix_core_attachment_record", "resource", "record_id", "name"),)

    id: Mapped[int] = id_column()
    resource: Mapped[str] = mapped_column(String(50), nullable=False)
    record_id: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    latest: Mapped[int] = mapped_column(Integer, nullable=False, default=1)  # its newest version's number


class AttachmentVersion(Model):
    __tablename__ = "core_attachment_version"
    __table_args__ = (UniqueConstraint("attachment_id", "number"),)

    id: Mapped[int] = id_column()
    attachment_id: Mapped[int] = mapped_column(ID, ForeignKey("core_attachment.id", ondelete="CASCADE"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    content_type: Mapped[str] = mapped_column(String(150), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    storage_key: Mapped[str] = mapped_column(String(300), nullable=False)
    uploaded_by: Mapped[int | None] = mapped_column(ID, ForeignKey("core_user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
