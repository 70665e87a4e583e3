"""GraphQL for attachments: list a record's files and their versions, delete and restore. Bytes go over plain HTTP
(crm.files.routes): `downloadPath` says where."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy import select

from crm.api.access import authenticated, inherited
from crm.api.errors import Invalid
from crm.api.ids import parse_id, try_parse_id
from crm.api.inputs import IdInput
from crm.api.mutations import mutation
from crm.api.payloads import payload_type
from crm.files.models import Attachment, AttachmentVersion
from crm.models import utcnow


@strawberry.type(name="AttachmentVersion", description="One upload of a file; older ones are kept.")
class AttachmentVersionType:
    number: int = strawberry.field(description="1 for the first upload, then one more for each.")
    content_type: str = strawberry.field(description="The file's media type.")
    size: int = strawberry.field(description="Bytes.")
    sha256: str = strawberry.field(description="The SHA-256 of the file's bytes, in hex.")
    uploaded_by: strawberry.ID | None = strawberry.field(name="uploadedById")
    uploaded_at: datetime = strawberry.field(description="When it was uploaded.")
    attachment_id: strawberry.Private[int]

    @strawberry.field(description="GET it with the same Authorization header as /graphql.")
    @inherited
    def download_path(self, info: strawberry.Info) -> str:
        return f"/files/{self.attachment_id}/versions/{self.number}"


@strawberry.type(name="Attachment", description="A file of a record: PUT /files/{recordType}/{recordId}/{name} uploads it (again: a new version).")
class AttachmentType:
    id: strawberry.ID
    resource: str = strawberry.field(name="recordType")
    record_id: strawberry.ID
    name: str = strawberry.field(description="The file name; uploading the same name again adds a version.")
    latest: int = strawberry.field(description="The newest version's number.")
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None

    @strawberry.field(description="GET the newest version here.")
    @inherited
    def download_path(self, info: strawberry.Info) -> str:
        return f"/files/{self.id}"

    @strawberry.field(description="Every version, newest first.")
    @inherited
    async def versions(self, info: strawberry.Info) -> list[AttachmentVersionType]:
        async with info.context.db.read() as session:
            rows = (await session.scalars(select(AttachmentVersion).where(AttachmentVersion.attachment_id == self.id)
                                          .order_by(AttachmentVersion.number.desc()))).all()
        return [AttachmentVersionType(number=v.number, content_type=v.content_type, size=v.size, sha256=v.sha256, uploaded_by=v.uploaded_by,
                                      uploaded_at=v.uploaded_at, attachment_id=v.attachment_id) for v in rows]


AttachmentPayload = payload_type("Attachment", attachment=AttachmentType)


async def _record(info, session, resource: str, record_id: str, action: str):
    from crm.files.routes import _record as record_for

    return await record_for(session, info.context.runtime, info.context.access, resource, record_id, action)


@strawberry.type
class AttachmentQuery:
    @strawberry.field(description="A record's files, by name (for those who may read the record).")
    @authenticated
    async def attachments(self, info: strawberry.Info, record_type: str, record_id: strawberry.ID,
                          include_deleted: bool = False) -> list[AttachmentType]:
        rid = try_parse_id(record_id)
        async with info.context.db.read() as session:
            if rid is None or await _record(info, session, record_type, str(rid), "read") is None:
                return []
            stmt = select(Attachment).where(Attachment.resource == record_type, Attachment.record_id == str(rid))
            if not include_deleted:
                stmt = stmt.where(Attachment.deleted_at.is_(None))
            return list((await session.scalars(stmt.order_by(Attachment.name, Attachment.id))).all())


async def _set_deleted(info, raw_id, deleted: bool):
    async def work(session):
        attachment = await session.get(Attachment, parse_id(raw_id))
        if attachment is None or await _record(info, session, attachment.resource, attachment.record_id, "write") is None:
            raise Invalid.one("id", "NOT_FOUND", "file not found")
        if (attachment.deleted_at is not None) == deleted:
            raise Invalid.one("id", "INVALID", "this file is deleted already" if deleted else "this file is not deleted")
        if not deleted and await session.scalar(select(Attachment.id).where(
                Attachment.resource == attachment.resource, Attachment.record_id == attachment.record_id, Attachment.name == attachment.name,
                Attachment.deleted_at.is_(None))):
            raise Invalid.one("id", "DUPLICATE", "the record has a file of this name again; rename one of them first")
        attachment.deleted_at, attachment.updated_at = (utcnow() if deleted else None), utcnow()
        return AttachmentPayload(attachment=attachment)

    return await mutation(info, AttachmentPayload, work)


@strawberry.type
class AttachmentMutation:
    @strawberry.mutation(description="Soft delete a file (every version is kept); restoreAttachment brings it back.")
    @authenticated
    async def delete_attachment(self, info: strawberry.Info, input: IdInput) -> AttachmentPayload:
        return await _set_deleted(info, input.id, True)

    @strawberry.mutation(description="Bring a deleted attachment back, with its versions.")
    @authenticated
    async def restore_attachment(self, info: strawberry.Info, input: IdInput) -> AttachmentPayload:
        return await _set_deleted(info, input.id, False)
