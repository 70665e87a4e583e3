"""Queues through GraphQL: admins (resource `queue`) name them after a team, whose members work them and whose manager
takes what escalates."""

from __future__ import annotations

import strawberry
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import crm
from crm import IdInput, Invalid, clean_text, fetch_for_write, mutation, parse_id, requires
from crm.plugins.service.models import Queue
from crm.plugins.service.schema import types as t

UNSET = strawberry.UNSET


@strawberry.input
class CreateQueueInput:
    name: str
    team_id: strawberry.ID = strawberry.field(description="Its members work the queue; its manager takes escalated tickets.")
    description: str | None = None


@strawberry.input(description="Change a queue; only the fields given change.")
class UpdateQueueInput:
    id: strawberry.ID
    version: int
    name: str | None = UNSET
    team_id: strawberry.ID | None = UNSET
    description: str | None = UNSET


async def _team(session, raw) -> int:
    team_id = parse_id(raw, "teamId")
    if await session.get(crm.Team, team_id) is None:
        raise Invalid.one("teamId", "NOT_FOUND", "no team with this ID")
    return team_id


async def _name(session, raw: str, queue: Queue | None) -> str:
    name = clean_text(raw, "name", required=True, limit=100)
    taken = await session.scalar(select(Queue.id).where(Queue.name == name, Queue.deleted_at.is_(None), Queue.id != (queue.id if queue else 0)))
    if taken is not None:
        raise Invalid.one("name", "DUPLICATE", f"there is a queue named {name!r} already")
    return name


async def _flush(session, queue: Queue) -> None:
    try:
        await session.flush()
    except IntegrityError:  # the same name at the same moment: the unique index decided
        raise Invalid.one("name", "DUPLICATE", f"there is a queue named {queue.name!r} already") from None


@strawberry.type
class QueueQuery:
    @strawberry.field(description="Queues by name.")
    @requires("queue", "read")
    async def queues(self, info: strawberry.Info) -> list[t.QueueType]:
        async with info.context.db.read() as session:
            return list((await session.scalars(select(Queue).where(Queue.deleted_at.is_(None)).order_by(Queue.name, Queue.id))).all())


@strawberry.type
class QueueMutation:
    @strawberry.mutation(description="Add a queue worked by a team.")
    @requires("queue", "write")
    async def create_queue(self, info: strawberry.Info, input: CreateQueueInput) -> t.QueuePayload:
        async def work(session):
            queue = Queue(name=await _name(session, input.name, None), team_id=await _team(session, input.team_id),
                          description=clean_text(input.description, "description", limit=2000))
            session.add(queue)
            await _flush(session, queue)
            return t.QueuePayload(queue=queue)

        return await mutation(info, t.QueuePayload, work)

    @strawberry.mutation(description="Change a queue; CONFLICT when `version` is not the current one.")
    @requires("queue", "write")
    async def update_queue(self, info: strawberry.Info, input: UpdateQueueInput) -> t.QueuePayload:
        async def work(session):
            queue = await fetch_for_write(session, info, Queue, input.id, resource="queue", version=input.version)
            if input.name is not UNSET:
                queue.name = await _name(session, input.name or "", queue)
            if input.team_id is not UNSET:
                if input.team_id is None:
                    raise Invalid.one("teamId", "REQUIRED", "a queue is worked by a team")
                queue.team_id = await _team(session, input.team_id)
            if input.description is not UNSET:
                queue.description = clean_text(input.description, "description", limit=2000)
            queue.updated_at = crm.utcnow()
            await _flush(session, queue)
            return t.QueuePayload(queue=queue)

        return await mutation(info, t.QueuePayload, work)

    @strawberry.mutation(description="Soft delete: tickets keep it; restoreQueue brings it back.")
    @requires("queue", "write")
    async def delete_queue(self, info: strawberry.Info, input: IdInput) -> crm.DeletePayload:
        return await crm.soft_delete(info, Queue, input.id, resource="queue")

    @strawberry.mutation(description="Bring a deleted queue back (DUPLICATE when one of the same name was made since).")
    @requires("queue", "write")
    async def restore_queue(self, info: strawberry.Info, input: IdInput) -> t.QueuePayload:
        return await crm.restore(info, Queue, input.id, resource="queue", payload=t.QueuePayload, field="queue",
                                 check=lambda session, queue: _name(session, queue.name, queue))
