"""Uploads and downloads of attachments, plain HTTP beside /graphql (a GraphQL body is the wrong place for megabytes):

    PUT /files/{recordType}/{recordId}/{name}     the file as the body, its type as Content-Type: a new attachment,
                                                  or the next version of the record's attachment of that name
    GET /files/{attachmentId}                     its newest version
    GET /files/{attachmentId}/versions/{number}   an older one

With `Authorization: Bearer ...`, as /graphql. Uploading needs write on the record and on `document` (for the record's
owner), downloading read on both; a record the caller may not see is 404, as everywhere. Uploads have their own size limit (CRM_MAX_UPLOAD_BYTES; the body limit of
other requests does not apply here) and a list of types (CRM_UPLOAD_TYPES)."""

from __future__ import annotations

from urllib.parse import quote

from sqlalchemy import select
from starlette.responses import JSONResponse, StreamingResponse

from crm.api.access import Access
from crm.api.global_ids import global_id
from crm.api.ids import try_parse_id
from crm.audit.listener import record as audit
from crm.files.models import Attachment, AttachmentVersion
from crm.files.storage import TooLarge, new_key, storage_for
from crm.identity.auth import authenticate
from crm.models import utcnow


def _refuse(status: int, code: str, message: str, **headers) -> JSONResponse:
    return JSONResponse({"errors": [{"code": code, "message": message}]}, status_code=status, headers=headers or None)


async def _access(request, runtime) -> Access | None:
    principal = await authenticate(runtime.db, request.headers.get("authorization"))
    if principal is None:
        return None
    await runtime.policy.refresh()
    return Access(principal.user_id, await runtime.policy.grants(principal.subject), runtime.db.read)


async def _record(session, runtime, access: Access, resource: str, record_id: str, action: str, *, lock: bool = False):
    """The record an attachment belongs to, if the caller may `action` it; None otherwise (also when it is missing)."""
    target = runtime.attachment_targets.get(resource)
    number = try_parse_id(record_id)  # the record's global id, or its plain number (docs/api.md)
    if target is None or number is None or not access.can(resource, action) or not access.can("document", action):
        return None
    stmt = select(target.model).where(target.model.id == number)
    if lock and session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update()  # uploads to one record take turns: versions are numbered one after the other
    found = await session.scalar(stmt)
    if found is None or getattr(found, "deleted_at", None) is not None:
        return None
    owner = getattr(found, "owner_id", None)
    return found if await access.permits(resource, action, owner) and await access.permits("document", action, owner) else None


def _name_problem(name: str) -> str | None:
    if not name.strip() or len(name) > 255:
        return "a file name has 1 to 255 characters"
    if any(c in name for c in "/\\") or any(ord(c) < 32 for c in name):
        return "a file name has no slashes and no control characters"
    return None


async def upload(request, runtime):
    settings = runtime.settings
    access = await _access(request, runtime)
    if access is None:
        return _refuse(401, "UNAUTHENTICATED", "log in first: send `Authorization: Bearer <token>`")
    resource, record_id, name = request.path_params["resource"], request.path_params["record_id"], request.path_params["name"].strip()
    if problem := _name_problem(name):
        return _refuse(400, "INVALID", problem)
    number = try_parse_id(record_id)  # the record's global id, or its plain number (docs/api.md)
    if number is None:
        return _refuse(404, "NOT_FOUND", f"no {resource.replace('_', ' ')} {record_id} that you may change")
    record_id = str(number)  # attachments keep the record's number, as every other reference does
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type not in settings.upload_types:
        return _refuse(415, "INVALID", f"files of type {content_type or 'unknown'} are not taken; these are: {', '.join(settings.upload_types)}")
    async with runtime.db.read() as session:
        if await _record(session, runtime, access, resource, record_id, "write") is None:
            return _refuse(404, "NOT_FOUND", f"no {resource.replace('_', ' ')} {record_id} that you may change")
    storage, key = storage_for(settings), new_key()
    try:
        size, sha256 = await storage.save(key, request.stream(), settings.max_upload_bytes)
    except TooLarge:
        return _refuse(413, "TOO_LARGE", f"a file is at most {settings.max_upload_bytes} bytes")
    try:
        async with runtime.db.write() as session:
            session.info["actor_id"] = access.user_id
            record = await _record(session, runtime, access, resource, record_id, "write", lock=True)
            if record is None:  # deleted or handed over while the bytes came in
                raise LookupError
            attachment = await session.scalar(select(Attachment).where(Attachment.resource == resource, Attachment.record_id == record_id,
                                                                       Attachment.name == name, Attachment.deleted_at.is_(None)))
            if attachment is None:
                attachment = Attachment(resource=resource, record_id=record_id, name=name, latest=1)
                session.add(attachment)
            else:
                attachment.latest, attachment.updated_at = attachment.latest + 1, utcnow()
            await session.flush()
            session.add(AttachmentVersion(attachment_id=attachment.id, number=attachment.latest, content_type=content_type, size=size,
                                          sha256=sha256, storage_key=key, uploaded_by=access.user_id, uploaded_at=utcnow()))
            await audit(session, "update", resource, record_id, [{"field": "attachment", "old": None,
                                                                   "new": f"{name} (version {attachment.latest}, {size} bytes)"}],
                        getattr(record, "customer_id", None))
            answer = {"id": global_id("Attachment", attachment.id), "name": name, "version": attachment.latest, "size": size, "sha256": sha256,
                      "contentType": content_type}
    except LookupError:
        await storage.delete(key)
        return _refuse(404, "NOT_FOUND", f"no {resource.replace('_', ' ')} {record_id} that you may change")
    except BaseException:
        await storage.delete(key)  # nothing is kept of an upload the database did not take
        raise
    return JSONResponse(answer, status_code=201)


async def download(request, runtime):
    access = await _access(request, runtime)
    if access is None:
        return _refuse(401, "UNAUTHENTICATED", "log in first: send `Authorization: Bearer <token>`")
    raw_id, raw_number = request.path_params["attachment_id"], request.path_params.get("number")
    attachment_id = try_parse_id(raw_id)
    if attachment_id is None or (raw_number is not None and not raw_number.isdigit()):
        return _refuse(404, "NOT_FOUND", "no such file")
    async with runtime.db.read() as session:
        attachment = await session.get(Attachment, attachment_id)
        if attachment is None or attachment.deleted_at is not None or \
                await _record(session, runtime, access, attachment.resource, attachment.record_id, "read") is None:
            return _refuse(404, "NOT_FOUND", "no such file")
        version = await session.scalar(select(AttachmentVersion).where(
            AttachmentVersion.attachment_id == attachment.id, AttachmentVersion.number == (int(raw_number) if raw_number else attachment.latest)))
    if version is None:
        return _refuse(404, "NOT_FOUND", "no such version")
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(attachment.name)}", "Content-Length": str(version.size),
               "ETag": f'"{version.sha256}"', "Cache-Control": "private, no-cache"}
    return StreamingResponse(storage_for(runtime.settings).open(version.storage_key), media_type=version.content_type, headers=headers)
